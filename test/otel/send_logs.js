// Sends log records to an OTLP/HTTP JSON endpoint with the official OpenTelemetry JavaScript SDK,
// as an instrumented service would: a LoggerProvider whose resource names the service and host,
// a batch processor and the OTLP/HTTP exporter. Used by logad's receiver test.
//   node send_logs.js URL COUNT INJECT_AT SERVICE HOST [TOKEN_FILE]
// Record i says "request i served in N ms"; record INJECT_AT is an error never seen in training.
// Exits 0 once every batch was exported and acknowledged, 1 otherwise.
'use strict';
const fs = require('fs');
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');
const { SeverityNumber } = require('@opentelemetry/api-logs');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const [url, count, injectAt, service, host, tokenFile] = process.argv.slice(2);
const headers = tokenFile ? { Authorization: 'Bearer ' + fs.readFileSync(tokenFile, 'utf8').trim() } : {};
const exporter = new OTLPLogExporter({ url, headers });
let failed = 0;
const exportOriginal = exporter.export.bind(exporter);
exporter.export = (logs, done) => exportOriginal(logs, (result) => {
  if (result.code !== 0) { failed += 1; console.error('export failed:', result.error && result.error.message); }
  done(result);
});
const provider = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': service, 'host.name': host }),
  processors: [new BatchLogRecordProcessor(exporter, { maxExportBatchSize: 200, scheduledDelayMillis: 50, maxQueueSize: 100000 })],
});
const logger = provider.getLogger('orders', '1.0.0');
const start = Date.now() - Number(count) * 100;
for (let i = 0; i < Number(count); i++) {
  const time = new Date(start + i * 100);
  if (i === Number(injectAt)) {
    logger.emit({ timestamp: time, severityNumber: SeverityNumber.ERROR, severityText: 'ERROR',
                  body: 'ledger checksum mismatch: refusing to commit batch', attributes: { 'order.id': i } });
  } else {
    logger.emit({ timestamp: time, severityNumber: SeverityNumber.INFO, severityText: 'INFO',
                  body: `request ${i} served in ${(i * 7) % 300} ms`, attributes: { 'order.id': i } });
  }
}
provider.forceFlush()
  .then(() => provider.shutdown())
  .then(() => process.exit(failed ? 1 : 0))
  .catch((e) => { console.error(e); process.exit(1); });
