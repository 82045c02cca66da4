import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ruleInfo } from '@llmscope/spc';
import { useStyles2 } from '@grafana/ui';
import { formatSigma } from '../../calcs/telemetry';
import type { FlaggedPoint } from '../../types';
import { SeverityBadge } from '../SeverityBadge';

/** The explanation and severity of every rule this point broke. */
export function RulesBroken({ point }: { point: FlaggedPoint }) {
  const styles = useStyles2(getStyles);
  return (
    <section aria-label="Rules broken" className={styles.section}>
      <h4>Rules broken</h4>
      <ul className={styles.list}>
        {point.violations.map((v) => {
          const info = ruleInfo(v.rule);
          return (
            <li key={v.key} data-testid="spc-rule-broken" className={styles.item}>
              <div className={styles.head}>
                <strong>
                  {info.id} · {info.name}
                </strong>
                <SeverityBadge severity={v.severity} />
                {v.deviationSigma !== null && <span className={styles.dev}>{formatSigma(v.deviationSigma)}</span>}
              </div>
              <p className={styles.text}>{info.description}</p>
              {v.text && <p className={styles.note}>{v.text}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ marginBottom: theme.spacing(2) }),
  list: css({ listStyle: 'none', margin: 0, padding: 0 }),
  item: css({
    padding: theme.spacing(1),
    marginBottom: theme.spacing(1),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  head: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  dev: css({ color: theme.colors.text.secondary, fontFamily: theme.typography.fontFamilyMonospace }),
  text: css({ margin: `${theme.spacing(0.5)} 0 0`, color: theme.colors.text.secondary }),
  note: css({ margin: `${theme.spacing(0.5)} 0 0`, fontStyle: 'italic' }),
});
