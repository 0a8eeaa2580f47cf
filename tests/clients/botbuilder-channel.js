'use strict';
// botbuilder 4.23.3 as a *channel* in front of ScenarioKit's /api/messages (protocol notes §8): it posts
// the reference conversation with BotFrameworkClient and receives the bot's replies at its own
// serviceUrl through ChannelServiceRoutes (the Bot Connector routes, §2.2). A second conversation uses
// deliveryMode expectReplies and reads the replies from the HTTP response. Usage:
//   node botbuilder-channel.js <bot endpoint, e.g. http://127.0.0.1:5000/api/messages>
const express = require('express');
const { ChannelServiceRoutes, ConfigurationBotFrameworkAuthentication } = require('botbuilder');
// Not exported from the 4.23.3 index (§8).
const { CloudChannelServiceHandler } = require('botbuilder/lib/cloudChannelServiceHandler');
const ref = require('./reference');

const [botUrl] = process.argv.slice(2);
if (!botUrl) {
  console.error('usage: node botbuilder-channel.js <bot endpoint>');
  process.exit(2);
}
const EXPECTED_REPLIES = [1, 1, 1, 2, 2];
const received = [];

class RecordingChannel extends CloudChannelServiceHandler {
  async onReplyToActivity(claims, conversationId, activityId, activity) {
    received.push({ kind: 'reply', conversationId, activityId, activity });
    return { id: `channel-${received.length}` };
  }

  async onSendToConversation(claims, conversationId, activity) {
    received.push({ kind: 'send', conversationId, activityId: null, activity });
    return { id: `channel-${received.length}` };
  }
}

function fail(why) {
  console.log(JSON.stringify({ ok: false, why, received }, null, 2));
  process.exit(1);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const auth = new ConfigurationBotFrameworkAuthentication({});
  const app = express();
  new ChannelServiceRoutes(new RecordingChannel(auth)).register(app);
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const serviceUrl = `http://127.0.0.1:${server.address().port}/`;
  const client = auth.createBotFrameworkClient();

  // 1. Normal delivery: replies arrive through the Connector API, as replies to the user's activity.
  const conv = `bb-${Date.now()}`;
  for (let turn = 0; turn < ref.USER_TURNS.length; turn++) {
    const activity = ref.userActivity(conv, turn);
    const response = await client.postActivity('', '', botUrl, serviceUrl, activity.conversation.id, activity);
    if (response.status !== 200) fail(`turn ${turn + 1}: /api/messages answered ${response.status} ${JSON.stringify(response.body)}`);
    // §2.1: the replies were sent before the 200, so they are already here.
    const replies = received.filter((r) => r.activityId === activity.id);
    if (replies.length !== EXPECTED_REPLIES[turn]) {
      await sleep(500);
      fail(`turn ${turn + 1}: expected ${EXPECTED_REPLIES[turn]} replies at the channel before the 200, got ${replies.length}`);
    }
    if (replies.some((r) => r.kind !== 'reply' || r.conversationId !== activity.conversation.id)) fail(`turn ${turn + 1}: replies must use the reply route of this conversation`);
    const problem = ref.checkTurn(turn, replies.map((r) => r.activity));
    if (problem) fail(problem);
  }

  // 2. expectReplies: everything in the response body, nothing through the Connector.
  const before = received.length;
  const conv2 = `bb-er-${Date.now()}`;
  for (let turn = 0; turn < ref.USER_TURNS.length; turn++) {
    const activity = ref.userActivity(conv2, turn, { expectReplies: true });
    const response = await client.postActivity('', '', botUrl, serviceUrl, activity.conversation.id, activity);
    if (response.status !== 200) fail(`expectReplies turn ${turn + 1}: status ${response.status}`);
    const problem = ref.checkTurn(turn, (response.body && response.body.activities) || []);
    if (problem) fail(`expectReplies: ${problem}`);
  }
  if (received.length !== before) fail('expectReplies must not call the Connector');

  // 3. A post without a type is a 400 from ScenarioKit (botbuilder's own adapter would throw, §8).
  const bad = await client.postActivity('', '', botUrl, serviceUrl, 'bad-conv', {
    text: 'no type', conversation: { id: 'bad-conv' }, from: { id: 'u' }, recipient: { id: 'bot' }, channelId: 'bench',
  });
  if (bad.status !== 400) fail(`an activity without type must get 400, got ${bad.status}`);

  console.log(JSON.stringify({ ok: true, connectorCalls: before, turns: 10 }));
  server.close();
  process.exit(0);
})().catch((e) => fail(String(e && e.stack || e)));
