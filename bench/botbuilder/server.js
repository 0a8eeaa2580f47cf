'use strict';
// The reference bot (reference-bot.js) behind botbuilder's own HTTP entry point, CloudAdapter.process, on
// node's http server: the botbuilder side of the server comparison in docs/performance.md ("Server"). The
// load tool (bench/ScenarioKit.LoadTest --compare) starts it and posts the reference conversation to
// /api/messages with deliveryMode expectReplies; CloudAdapter answers with the replies in the body.
// Auth is off (no app id), state in MemoryStorage (botbuilder's JSON text per key). Prints the port it
// listens on as its first line.
//
//   node bench/botbuilder/server.js [port=0]
const http = require('http');
const {
  CloudAdapter, ConfigurationServiceClientCredentialFactory, ConversationState, MemoryStorage, UserState,
  createBotFrameworkAuthenticationFromConfiguration,
} = require('botbuilder');
const { ReferenceBot } = require('./reference-bot.js');

const storage = new MemoryStorage();
const bot = new ReferenceBot(new ConversationState(storage), new UserState(storage));
// No app id: authentication is disabled, as for ScenarioKit without ScenarioKit:AppId.
const adapter = new CloudAdapter(createBotFrameworkAuthenticationFromConfiguration(null, new ConfigurationServiceClientCredentialFactory({})));
adapter.onTurnError = async (context, error) => { console.error(error); throw error; };

// CloudAdapter.process takes express/restify-shaped request and response objects.
function response(res) {
  return {
    socket: res.socket,
    header(name, value) { res.setHeader(name, value); return this; },
    status(code) { res.statusCode = code; return this; },
    send(body) {
      if (body === undefined) return this;
      if (typeof body === 'object' && !Buffer.isBuffer(body)) { res.setHeader('Content-Type', 'application/json'); body = JSON.stringify(body); }
      res.write(body);
      return this;
    },
    end() { res.end(); return this; },
  };
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { res.statusCode = 400; res.end(); return; }
    const request = { body, headers: req.headers, method: req.method };
    adapter.process(request, response(res), (context) => bot.run(context)).catch((e) => {
      console.error(e);
      if (!res.writableEnded) { res.statusCode = 500; res.end(); }
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => console.log(server.address().port));
