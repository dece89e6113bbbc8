// Adds headers to the request on its way upstream, from the route's settings and request data.
// Route config:  - { type: script, config: { file: add-request-headers.js, settings: { headers: { X-Env: demo } } } }
function onRequest(exchange) {
  const headers = config.headers || {};
  for (const name of Object.keys(headers)) {
    exchange.request.setHeader(name, String(headers[name]));
  }
  exchange.request.setHeader('X-Client-Ip', exchange.request.remoteAddress);
}

function onResponse(exchange) {
  exchange.response.setHeader('X-Handled-By', 'sluice-js');
}
