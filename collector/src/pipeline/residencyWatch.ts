// Model events for one target whose provider reports residency (Provider.residency): each
// poll is compared with the one before, and loads, evictions and GPU/CPU split changes become
// model_events rows. The first poll is the starting point, not a change.
import type { Logger } from 'pino';
import { residencyChanges, type ResidentModel } from '../providers/residency.js';
import type { StoreItem } from '../store/rows.js';

export class ResidencyWatch {
  private last: Map<string, ResidentModel> | null = null;

  constructor(
    private readonly target: string,
    private readonly read: (signal: AbortSignal) => Promise<ResidentModel[]>,
    private readonly logger: Logger,
  ) {}

  /** The model events since the last poll; none when the server did not answer. */
  async poll(signal: AbortSignal): Promise<StoreItem[]> {
    let now: ResidentModel[];
    try {
      now = await this.read(signal);
    } catch (error) {
      this.logger.debug({ err: error, target: this.target }, 'cannot read model residency');
      return [];
    }
    const before = this.last;
    this.last = new Map(now.map((m) => [m.model, m]));
    if (!before) return [];
    const ts = new Date().toISOString();
    return residencyChanges(before, now).map((c) => {
      this.logger.info({ target: this.target, model: c.model }, `model ${c.event}: ${c.detail}`);
      return {
        kind: 'model-event' as const,
        row: {
          ts,
          target: this.target,
          model: c.model,
          event: c.event,
          sizeBytes: c.sizeBytes,
          sizeVramBytes: c.sizeVramBytes,
          gpuFraction: c.gpuFraction,
          contextLength: c.contextLength,
          expiresAt: c.expiresAt,
          detail: c.detail,
        },
      };
    });
  }
}
