'use strict';
// Holds the reference conversation with ScenarioKit's Direct Line 3.0 endpoint through Microsoft's own
// client, botframework-directlinejs 0.15.8, unmodified. Usage:
//   node directline-reference.js <domain, e.g. http://127.0.0.1:5000/v3/directline> <polling|websocket> [secret]
// Exits 0 when every turn's replies match reference.js checkTurn(); prints what it saw either way.

// Node has neither WebSocket nor XMLHttpRequest; directlinejs needs both as globals (protocol notes §4.3).
const WS = require('ws');
let socketsOpened = 0;
global.WebSocket = class extends WS {
  constructor(...args) {
    super(...args);
    socketsOpened++;
  }
};
global.XMLHttpRequest = require('xhr2');

const { DirectLine, ConnectionStatus } = require('botframework-directlinejs');
const ref = require('./reference');

const [domain, mode, secret] = process.argv.slice(2);
if (!domain || !['polling', 'websocket'].includes(mode)) {
  console.error('usage: node directline-reference.js <domain> <polling|websocket> [secret]');
  process.exit(2);
}
const EXPECTED_REPLIES = [1, 1, 1, 2, 2];
const USER = { id: 'user-dl', name: 'Customer' };

const directLine = new DirectLine({ domain, secret, webSocket: mode === 'websocket', pollingInterval: 200, timeout: 10000 });
const received = [];
const statuses = [];
directLine.connectionStatus$.subscribe((s) => statuses.push(ConnectionStatus[s]));
directLine.activity$.subscribe((a) => received.push(a), (e) => fail(`activity$ error: ${e}`));

function fail(why) {
  console.log(JSON.stringify({ ok: false, why, statuses, socketsOpened, received }, null, 2));
  process.exit(1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function post(activity) {
  return new Promise((resolve, reject) => {
    directLine.postActivity(activity).subscribe(
      (id) => (id === 'retry' ? reject(new Error('postActivity emitted "retry" (server error or timeout)')) : resolve(id)),
      (e) => reject(e),
    );
  });
}

async function waitFor(predicate, what, ms = 10000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (predicate()) return;
    await sleep(25);
  }
  fail(`timed out waiting for ${what}`);
}

(async () => {
  const ids = [];
  for (let turn = 0; turn < ref.USER_TURNS.length; turn++) {
    const id = await post({ type: 'message', from: USER, text: ref.USER_TURNS[turn], locale: 'en-US', channelData: { clientActivityID: `client-${turn}` } });
    ids.push(id);
    const replies = () => received.filter((a) => a.replyToId === id && a.from && a.from.id !== USER.id);
    await waitFor(() => replies().length >= EXPECTED_REPLIES[turn], `the replies to turn ${turn + 1}`);
    await sleep(200); // a late extra reply would be a failure too
    const problem = ref.checkTurn(turn, replies());
    if (problem) fail(problem);
    // §4.4: the user's own post comes back with the server's id and the unchanged clientActivityID.
    const echo = received.find((a) => a.id === id);
    if (!echo || echo.from.id !== USER.id || !echo.channelData || echo.channelData.clientActivityID !== `client-${turn}`) fail(`no proper echo for turn ${turn + 1}`);
  }
  const all = received.map((a) => a.id);
  if (new Set(all).size !== all.length) fail('activity ids are not unique');
  if (received.some((a) => !a.timestamp || !a.from || !a.from.role)) fail('an activity lacks timestamp or from.role');
  if (mode === 'websocket' && socketsOpened === 0) fail('websocket mode never opened a WebSocket');
  if (mode === 'polling' && socketsOpened !== 0) fail('polling mode opened a WebSocket');
  console.log(JSON.stringify({ ok: true, mode, turns: ids.length, activities: received.length, socketsOpened, statuses }));
  directLine.end();
  process.exit(0);
})().catch((e) => fail(String(e && e.stack || e)));
