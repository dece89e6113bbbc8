// Refuses requests without a supported X-Api-Version header, before they reach the upstream.
// Route config:  - { type: script, config: { file: require-api-version.js, settings: { versions: ["1", "2"] } } }
function onRequest(exchange) {
  const version = exchange.request.header('X-Api-Version');
  const allowed = config.versions || ['1'];
  if (version === null || !allowed.includes(version)) {
    exchange.reject(400, 'API_VERSION_UNSUPPORTED', 'send X-Api-Version: one of ' + allowed.join(', '));
    return;
  }
  exchange.put('api.version', version);
}
