// Copies the {tenant} path segment into X-Tenant and logs unusual tenants.
// Route config:  path: /t/{tenant}/**  ...  - { type: script, config: { file: tenant-from-path.js } }
function onRequest(exchange) {
  const tenant = exchange.request.pathParams.tenant;
  if (tenant) {
    exchange.request.setHeader('X-Tenant', tenant);
    if (tenant.length > 32) log.warn('long tenant id on request ' + exchange.id);
  }
}
