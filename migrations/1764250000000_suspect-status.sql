-- Up Migration

-- 'suspect': an ok reply measured while the collector's own event loop lagged beyond its bound
-- (telemetry.suspectLoopLag), so its latency measures the collector, not the model server. Such
-- samples are stored and charted but never fed to SPC or alerts (docs/reliability.md).
ALTER TABLE samples DROP CONSTRAINT samples_status_check;
ALTER TABLE samples ADD CONSTRAINT samples_status_check CHECK (status IN ('ok', 'error', 'timeout', 'suspect'));

-- Down Migration
UPDATE samples SET status = 'ok' WHERE status = 'suspect';
ALTER TABLE samples DROP CONSTRAINT samples_status_check;
ALTER TABLE samples ADD CONSTRAINT samples_status_check CHECK (status IN ('ok', 'error', 'timeout'));
