'use strict';
// The reference conversation (tests/clients/reference.js, the copy of shared/bench/reference.js)
// as a Microsoft botbuilder 4.23.3 waterfall bot, timed in process the way REFERENCE.md defines:
// every turn through TestAdapter.processActivity (middleware, bot, dialog state, state load/save
// over MemoryStorage, which stores state as JSON text: a JSON.parse on read, a JSON.stringify on
// write). It is the baseline for the ScenarioKit engine benchmark (docs/performance.md, "Engine
// compared with botbuilder"), and times the same work as its latency probe: each turn is timed from
// the activity in to the saved state; every reply is checked with checkTurn() outside that span, and
// turns/s is turns ÷ the sum of the timed spans.
//
//   node bench/botbuilder/reference-bot.js [conversations=20000] [warmup=500]
const { ActivityHandler, ConversationState, MemoryStorage, MessageFactory, TestAdapter, UserState } = require('botbuilder');
const { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } = require('botbuilder-dialogs');
const ref = require('../../tests/clients/reference.js');

const ORDER_PROMPT = 'orderNumber';
const ORDER_DIALOG = 'orderStatus';

class ReferenceBot extends ActivityHandler {
  constructor(conversationState, userState) {
    super();
    this.conversationState = conversationState;
    this.userState = userState;
    this.dialogState = conversationState.createProperty('dialogState');
    this.transcript = conversationState.createProperty('transcript');
    this.orderNumber = conversationState.createProperty('orderNumber');
    this.profile = userState.createProperty('profile');

    this.dialogs = new DialogSet(this.dialogState);
    // The validator owns the retry text ("retry N of 2"): it sets the retry prompt the prompt sends
    // next; after the last retry it accepts, and the next step gives up.
    this.dialogs.add(new TextPrompt(ORDER_PROMPT, async (prompt) => {
      const text = (prompt.recognized.value || '').trim();
      if (ref.ORDER_NUMBER.test(text)) return true;
      if (prompt.attemptCount > ref.MAX_RETRIES) return true;
      prompt.options.retryPrompt = MessageFactory.text(ref.TEXT.retry(prompt.attemptCount));
      return false;
    }));
    this.dialogs.add(new WaterfallDialog(ORDER_DIALOG, [
      async (step) => step.prompt(ORDER_PROMPT, { prompt: MessageFactory.text(ref.TEXT.askOrderNumber) }),
      async (step) => {
        const number = (step.result || '').trim();
        if (!ref.ORDER_NUMBER.test(number)) {
          await step.context.sendActivity(ref.TEXT.giveUp);
          return step.endDialog();
        }
        const status = ref.ORDERS.get(number);
        await step.context.sendActivity(status ? ref.TEXT.orderFound(number, status) : ref.TEXT.orderNotFound(number));
        await step.context.sendActivity(ref.TEXT.anythingElse);
        await this.orderNumber.set(step.context, number);
        (await this.profile.get(step.context, {})).lastOrderNumber = number;
        return step.endDialog();
      },
    ]));

    this.onMessage(async (context, next) => {
      const transcript = await this.transcript.get(context, []);
      transcript.push({ role: 'user', text: context.activity.text });
      context.onSendActivities(async (_, activities, send) => {
        for (const a of activities) if (a.type === 'message') transcript.push({ role: 'bot', text: a.text });
        return send();
      });
      const dc = await this.dialogs.createContext(context);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) {
        switch (ref.recognizeIntent(context.activity.text)) {
          case 'greeting': await context.sendActivity(ref.menuActivity()); break;
          case 'order_status': await dc.beginDialog(ORDER_DIALOG); break;
          case 'returns': await context.sendActivity(ref.TEXT.returns); break;
          case 'handoff':
            await context.sendActivity({
              type: 'event', name: 'handoff.initiate',
              value: { orderNumber: await this.orderNumber.get(context), transcript: transcript.slice() },
            });
            await context.sendActivity(ref.TEXT.handoff);
            break;
          default: await context.sendActivity(ref.TEXT.fallback);
        }
      }
      await next();
    });
  }

  async run(context) {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }
}

async function main() {
  const conversations = Number(process.argv[2] || 20000);
  const warmup = Number(process.argv[3] || 500);
  let storage = new MemoryStorage();
  let bot = new ReferenceBot(new ConversationState(storage), new UserState(storage));
  const adapter = new TestAdapter((context) => bot.run(context));

  async function conversation(k, latencies) {
    for (let t = 0; t < ref.USER_TURNS.length; t++) {
      const activity = ref.userActivity(k, t);
      const start = process.hrtime.bigint();
      await adapter.processActivity(activity);
      const elapsed = process.hrtime.bigint() - start;
      if (latencies) latencies.push(Number(elapsed) / 1000);
      const replies = adapter.activeQueue.splice(0);
      const problem = ref.checkTurn(t, replies);
      if (problem) throw new Error(`conversation ${k}: ${problem}`);
    }
  }

  for (let k = 0; k < warmup; k++) await conversation(`w${k}`);
  storage = new MemoryStorage();
  bot = new ReferenceBot(new ConversationState(storage), new UserState(storage));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const latencies = [];
  for (let k = 0; k < conversations; k++) await conversation(k, latencies);
  const timedSeconds = latencies.reduce((sum, us) => sum + us, 0) / 1e6;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  const sample = storage.memory[`bench/conversations/conv-0/`] || storage.memory[Object.keys(storage.memory).find((key) => key.includes('conv-0/'))];
  console.log(JSON.stringify({
    runtime: 'botbuilder 4.23.3 waterfall (TestAdapter, MemoryStorage)',
    node: process.version,
    conversations,
    turns: latencies.length,
    turnsPerSecond: Math.round(latencies.length / timedSeconds),
    latencyMicroseconds: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), p999: pct(0.999) },
    heapBytesPerConversation: global.gc ? Math.round((heapAfter - heapBefore) / conversations) : 'run with --expose-gc',
    conversationStateJsonChars: sample ? sample.length : null,
  }, null, 2));
}

module.exports = { ReferenceBot };

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
