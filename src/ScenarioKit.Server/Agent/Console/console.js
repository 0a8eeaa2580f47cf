// ScenarioKit agent console. Plain script, no build step, no framework. The contract with the server is
// docs/agent-hub.md "Console API". INVARIANT: text that came from a customer, a scenario or another agent is
// only ever put into the page with textContent / text nodes (see el()); this file never assigns innerHTML.
(() => {
  'use strict';

  // ---------------------------------------------------------------- text (every UI string, both languages)
  const TEXT = {
    en: {
      brand: 'ScenarioKit',
      title: 'ScenarioKit agent console',
      status: 'Status',
      'agentStatus.online': 'Online',
      'agentStatus.away': 'Away',
      'agentStatus.offline': 'Offline',
      'role.agent': 'Agent',
      'role.supervisor': 'Supervisor',
      'role.admin': 'Admin',
      'connection.connecting': 'Connecting…',
      'connection.connected': 'Live',
      'connection.reconnecting': 'Reconnecting…',
      'connection.disconnected': 'Offline — retrying',
      'tab.chats': 'Chats',
      'tab.tickets': 'Tickets',
      'tab.supervisor': 'Supervisor',
      'tab.audit': 'Audit',
      enableAlerts: 'Enable alerts',
      alertsOn: 'Alerts on',
      otherLanguage: '日本語',
      signOut: 'Sign out',
      waitingList: 'Waiting',
      waitingEmpty: 'Nobody is waiting.',
      myChats: 'My chats',
      myChatsEmpty: 'No active chats.',
      monitoring: 'Monitoring',
      noChatSelected: 'Choose a conversation on the left.',
      customer: 'Customer',
      anonymousCustomer: 'Customer',
      accept: 'Accept',
      open: 'Open',
      takeOver: 'Take over',
      monitor: 'Monitor',
      join: 'Join',
      transfer: 'Transfer',
      returnToBot: 'Return to bot',
      resolve: 'Resolve',
      send: 'Send',
      cancel: 'Cancel',
      close: 'Close',
      privateNote: 'Private note',
      whisper: 'Whisper to the agent',
      composerPlaceholder: 'Type a message — Enter sends, Shift+Enter for a new line',
      notePlaceholder: 'Private note — only agents see it',
      whisperPlaceholder: 'Whisper — only the assigned agent sees it',
      cannedPick: 'Canned responses…',
      cannedNone: 'No canned responses',
      typing: 'The customer is typing…',
      readOnly: 'Read-only: you are monitoring this conversation.',
      readOnlyEnded: 'This conversation has ended.',
      offeredToYou: 'Offered to you',
      offeredTo: 'Offered to {name}',
      assignedTo: 'With {name}',
      unread: '{n} new',
      'role.customer': 'Customer',
      'role.bot': 'Bot',
      'role.agent': 'Agent',
      'role.note': 'Note',
      'role.whisper': 'Whisper',
      'entry.status': 'Status',
      'entry.waited': 'Waiting',
      'entry.rule': 'Rule',
      'entry.stage': 'Stage',
      'entry.priority': 'Priority {n}',
      'entryStatus.waiting': 'Waiting',
      'entryStatus.offered': 'Offered',
      'entryStatus.assigned': 'With an agent',
      'entryStatus.resolved': 'Resolved',
      'entryStatus.returnedToBot': 'Back with the bot',
      'entryStatus.timedOut': 'Timed out',
      'entryStatus.abandoned': 'Abandoned',
      'entryStatus.unattended': 'Unattended',
      context: 'Context',
      'ctx.journey': 'Journey',
      'ctx.stage': 'Stage',
      'ctx.stageHistory': 'Stage history',
      'ctx.rule': 'Why the bot handed off',
      'ctx.ruleLocation': 'Defined at',
      'ctx.reason': 'Reason',
      'ctx.conditions': 'Condition values',
      'ctx.offer': 'Channels offered',
      'ctx.shared': 'Shared variables',
      'ctx.answers': 'Collected answers',
      'ctx.intent': 'Intent',
      'ctx.score': 'score {score}',
      'ctx.recentEvents': 'Recent events',
      'ctx.conversation': 'Conversation',
      'ctx.queue': 'Queue',
      'ctx.scenario': 'Scenario',
      'ctx.channel': 'Channel',
      'ctx.locale': 'Language',
      'ctx.waitingSince': 'Handed off at',
      'ctx.earlier': 'Earlier sessions',
      'ctx.earlierNone': 'No earlier sessions.',
      'ctx.notes': 'Notes',
      'ctx.more': 'More context',
      'ctx.none': '—',
      'transfer.toQueue': 'To a queue',
      'transfer.toAgent': 'To an agent',
      'transfer.note': 'Note for the next agent (optional)',
      'transfer.pickOne': 'Choose a queue or an agent.',
      'return.flow': 'Continue in flow',
      'return.noFlow': '(where the bot left off)',
      'return.variables': 'Set variables',
      'return.noVariables': 'This scenario declares no variables to set.',
      'return.message': 'Message to the customer (optional)',
      'return.badValue': '{name}: not a valid {type}',
      'resolve.message': 'Closing message to the customer (optional)',
      'bool.unset': '(unchanged)',
      'bool.true': 'true',
      'bool.false': 'false',
      'enum.unset': '(unchanged)',
      tickets: 'Open requests (callback, e-mail)',
      ticketsShowClosed: 'Show closed',
      ticketsEmpty: 'No requests.',
      'ticket.number': 'No.',
      'ticket.kind': 'Kind',
      'ticket.contact': 'Contact',
      'ticket.preferredTime': 'Preferred time',
      'ticket.created': 'Received',
      'ticket.queue': 'Queue',
      'ticket.context': 'Context',
      'ticket.resolution': 'Resolution',
      'ticket.close': 'Close',
      'ticket.closedBy': 'Closed by {who} at {at}',
      'ticket.resolutionPlaceholder': 'What was done',
      'ticketKind.callback': 'Callback',
      'ticketKind.email': 'E-mail',
      'sup.stages': 'Live conversations by stage',
      'sup.queues': 'Queues',
      'sup.queue': 'Queue',
      'sup.waiting': 'Waiting',
      'sup.longestWait': 'Longest wait',
      'sup.online': 'Agents online',
      'sup.agents': 'Agents',
      'sup.agent': 'Agent',
      'sup.role': 'Role',
      'sup.load': 'Chats',
      'sup.connected': 'Console open',
      'sup.openEntries': 'Open handoffs',
      'sup.live': 'Conversations with the bot (last 30 min)',
      'sup.scenario': 'Scenario',
      'sup.withAgent': 'With an agent',
      'sup.updated': 'Last activity',
      yes: 'yes',
      no: 'no',
      audit: 'Audit log',
      'audit.actor': 'Who',
      'audit.conversation': 'Conversation',
      'audit.limit': 'Rows',
      'audit.load': 'Show',
      'audit.at': 'When',
      'audit.action': 'Action',
      'audit.entry': 'Entry',
      'audit.detail': 'Detail',
      'alert.title': '● New chat',
      'alert.body': '{customer} is waiting in {queue} ({rule})',
      'error.network': 'The server did not answer. Retrying…',
      'error.not_found': 'Not found: it may have ended or moved.',
      'error.forbidden': 'You are not allowed to do that.',
      'error.conflict': 'Someone else was quicker, or you are at your chat limit.',
      'error.invalid': 'That did not fit.',
      'error.unauthorized': 'Your session has ended.',
      'error.other': 'Something went wrong ({status}).',
      'duration.s': '{s}s',
      'duration.ms': '{m}m {s}s',
      'duration.hm': '{h}h {m}m',
    },
    ja: {
      brand: 'ScenarioKit',
      title: 'ScenarioKit オペレーター コンソール',
      status: 'ステータス',
      'agentStatus.online': '対応可能',
      'agentStatus.away': '離席中',
      'agentStatus.offline': 'オフライン',
      'role.agent': 'オペレーター',
      'role.supervisor': 'スーパーバイザー',
      'role.admin': '管理者',
      'connection.connecting': '接続中…',
      'connection.connected': 'リアルタイム接続中',
      'connection.reconnecting': '再接続中…',
      'connection.disconnected': '切断 — 再試行しています',
      'tab.chats': 'チャット',
      'tab.tickets': '折り返し依頼',
      'tab.supervisor': 'スーパーバイザー',
      'tab.audit': '監査ログ',
      enableAlerts: '通知を有効にする',
      alertsOn: '通知オン',
      otherLanguage: 'English',
      signOut: 'ログアウト',
      waitingList: '待機中',
      waitingEmpty: '待機中のお客様はいません。',
      myChats: '対応中のチャット',
      myChatsEmpty: '対応中のチャットはありません。',
      monitoring: 'モニタリング中',
      noChatSelected: '左の一覧から会話を選んでください。',
      customer: 'お客様',
      anonymousCustomer: 'お客様',
      accept: '対応する',
      open: '開く',
      takeOver: '引き継ぐ',
      monitor: 'モニター',
      join: '参加する',
      transfer: '転送',
      returnToBot: 'ボットに戻す',
      resolve: '解決済みにする',
      send: '送信',
      cancel: 'キャンセル',
      close: '閉じる',
      privateNote: '社内メモ',
      whisper: '担当者へのささやき',
      composerPlaceholder: 'メッセージを入力 — Enter で送信、Shift+Enter で改行',
      notePlaceholder: '社内メモ — お客様には表示されません',
      whisperPlaceholder: 'ささやき — 担当オペレーターだけに表示されます',
      cannedPick: '定型文…',
      cannedNone: '定型文はありません',
      typing: 'お客様が入力中です…',
      readOnly: '閲覧のみ：この会話をモニタリングしています。',
      readOnlyEnded: 'この会話は終了しています。',
      offeredToYou: 'あなたに割り当て',
      offeredTo: '{name} さんに割り当て',
      assignedTo: '{name} さんが対応中',
      unread: '新着 {n}',
      'role.customer': 'お客様',
      'role.bot': 'ボット',
      'role.agent': 'オペレーター',
      'role.note': 'メモ',
      'role.whisper': 'ささやき',
      'entry.status': '状態',
      'entry.waited': '待ち時間',
      'entry.rule': 'ルール',
      'entry.stage': 'ステージ',
      'entry.priority': '優先度 {n}',
      'entryStatus.waiting': '待機中',
      'entryStatus.offered': '割り当て中',
      'entryStatus.assigned': '対応中',
      'entryStatus.resolved': '解決済み',
      'entryStatus.returnedToBot': 'ボットに戻しました',
      'entryStatus.timedOut': 'タイムアウト',
      'entryStatus.abandoned': '離脱',
      'entryStatus.unattended': '未対応',
      context: 'コンテキスト',
      'ctx.journey': 'ジャーニー',
      'ctx.stage': 'ステージ',
      'ctx.stageHistory': 'ステージの履歴',
      'ctx.rule': 'ボットが引き継いだ理由',
      'ctx.ruleLocation': '定義箇所',
      'ctx.reason': '理由',
      'ctx.conditions': '条件の値',
      'ctx.offer': '提示した連絡手段',
      'ctx.shared': '共有変数',
      'ctx.answers': '取得済みの回答',
      'ctx.intent': 'インテント',
      'ctx.score': 'スコア {score}',
      'ctx.recentEvents': '直近のイベント',
      'ctx.conversation': '会話',
      'ctx.queue': 'キュー',
      'ctx.scenario': 'シナリオ',
      'ctx.channel': 'チャネル',
      'ctx.locale': '言語',
      'ctx.waitingSince': '引き継ぎ日時',
      'ctx.earlier': '過去のセッション',
      'ctx.earlierNone': '過去のセッションはありません。',
      'ctx.notes': 'メモ',
      'ctx.more': 'その他のコンテキスト',
      'ctx.none': '—',
      'transfer.toQueue': 'キューへ',
      'transfer.toAgent': 'オペレーターへ',
      'transfer.note': '引き継ぎメモ（任意）',
      'transfer.pickOne': '転送先のキューかオペレーターを選んでください。',
      'return.flow': '続けるフロー',
      'return.noFlow': '（ボットが中断したところから）',
      'return.variables': '変数を設定',
      'return.noVariables': 'このシナリオには設定できる変数がありません。',
      'return.message': 'お客様へのメッセージ（任意）',
      'return.badValue': '{name}: {type} として正しくありません',
      'resolve.message': 'お客様への締めのメッセージ（任意）',
      'bool.unset': '（変更しない）',
      'bool.true': 'はい (true)',
      'bool.false': 'いいえ (false)',
      'enum.unset': '（変更しない）',
      tickets: '未対応の依頼（折り返し電話・メール）',
      ticketsShowClosed: '完了分も表示',
      ticketsEmpty: '依頼はありません。',
      'ticket.number': '番号',
      'ticket.kind': '種別',
      'ticket.contact': '連絡先',
      'ticket.preferredTime': '希望日時',
      'ticket.created': '受付',
      'ticket.queue': 'キュー',
      'ticket.context': 'コンテキスト',
      'ticket.resolution': '対応結果',
      'ticket.close': '完了にする',
      'ticket.closedBy': '{who} が {at} に完了',
      'ticket.resolutionPlaceholder': '対応内容',
      'ticketKind.callback': '折り返し電話',
      'ticketKind.email': 'メール',
      'sup.stages': 'ステージ別のライブ会話',
      'sup.queues': 'キュー',
      'sup.queue': 'キュー',
      'sup.waiting': '待機',
      'sup.longestWait': '最長待ち時間',
      'sup.online': '対応可能な人数',
      'sup.agents': 'オペレーター',
      'sup.agent': 'オペレーター',
      'sup.role': '権限',
      'sup.load': '対応数',
      'sup.connected': 'コンソール接続',
      'sup.openEntries': '対応待ち・対応中の引き継ぎ',
      'sup.live': 'ボットと会話中のお客様（直近 30 分）',
      'sup.scenario': 'シナリオ',
      'sup.withAgent': '有人対応中',
      'sup.updated': '最終アクティビティ',
      yes: 'はい',
      no: 'いいえ',
      audit: '監査ログ',
      'audit.actor': '実行者',
      'audit.conversation': '会話',
      'audit.limit': '件数',
      'audit.load': '表示',
      'audit.at': '日時',
      'audit.action': '操作',
      'audit.entry': 'エントリ',
      'audit.detail': '詳細',
      'alert.title': '● 新しいチャット',
      'alert.body': '{customer} 様が {queue} で待っています（{rule}）',
      'error.network': 'サーバーから応答がありません。再試行しています…',
      'error.not_found': '見つかりません。終了したか、移動した可能性があります。',
      'error.forbidden': 'この操作の権限がありません。',
      'error.conflict': '他のオペレーターが先に対応したか、同時対応数の上限に達しています。',
      'error.invalid': '入力内容が受け付けられませんでした。',
      'error.unauthorized': 'セッションの有効期限が切れました。',
      'error.other': 'エラーが発生しました（{status}）。',
      'duration.s': '{s}秒',
      'duration.ms': '{m}分{s}秒',
      'duration.hm': '{h}時間{m}分',
    },
  };

  const query = new URLSearchParams(location.search);
  const lang = query.get('lang') === 'ja' || query.get('lang') === 'en'
    ? query.get('lang')
    : ((navigator.language || '').toLowerCase().startsWith('ja') ? 'ja' : 'en');

  function t(key, vars) {
    let s = TEXT[lang][key];
    if (s === undefined) s = TEXT.en[key];
    if (s === undefined) return key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (vars[name] === undefined || vars[name] === null ? '' : String(vars[name])));
    return s;
  }

  // ---------------------------------------------------------------- DOM helpers
  const $ = (id) => document.getElementById(id);

  /** Builds an element; string/number children become text nodes (never parsed as HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'testid') node.dataset.testid = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (value === true) node.setAttribute(key, '');
      else node.setAttribute(key, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function applyText(root) {
    for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    for (const node of root.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  }

  const dateTime = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });
  const timeOnly = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeStyle: 'short' });
  const fmtDate = (iso) => (iso ? dateTime.format(new Date(iso)) : '');
  const fmtTime = (iso) => (iso ? timeOnly.format(new Date(iso)) : '');

  function fmtDuration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) return t('duration.s', { s });
    if (s < 3600) return t('duration.ms', { m: Math.floor(s / 60), s: s % 60 });
    return t('duration.hm', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  }

  /** A value from the scenario's context as one line of text. */
  function show(value) {
    if (value === undefined || value === null || value === '') return t('ctx.none');
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  }

  // ---------------------------------------------------------------- state
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
  const state = {
    me: null,
    entries: new Map(),
    queues: [],
    agents: [],
    stages: [],
    openTickets: 0,
    details: new Map(),
    monitoring: new Set(),
    unread: new Map(),
    selected: null,
    tab: 'chats',
    typingUntil: 0,
    lastTypingSent: 0,
    live: [],
  };
  const OPEN = new Set(['waiting', 'offered', 'assigned']);
  const isSupervisor = () => state.me && (state.me.role === 'supervisor' || state.me.role === 'admin');

  // ---------------------------------------------------------------- HTTP
  class ApiError extends Error {
    constructor(status, code, message) {
      super(message || code);
      this.status = status;
      this.code = code;
    }
  }

  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers['X-CSRF-TOKEN'] = csrf;
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body || {});
    }
    let response;
    try {
      response = await fetch('/agent/api/' + path, init);
    } catch (e) {
      throw new ApiError(0, 'network', String(e));
    }
    if (response.status === 401) {
      location.assign('/agent/login?error=expired&returnUrl=' + encodeURIComponent(location.pathname + location.search));
      throw new ApiError(401, 'unauthorized');
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!response.ok) throw new ApiError(response.status, (data && data.error) || 'other', data && data.message);
    return data;
  }

  function errorText(error) {
    if (!(error instanceof ApiError)) return String(error);
    const key = 'error.' + error.code;
    const head = TEXT.en[key] ? t(key) : t('error.other', { status: error.status });
    return error.message && error.message !== error.code ? head + ' ' + error.message : head;
  }

  let bannerTimer = 0;
  function banner(text, sticky) {
    const node = $('banner');
    node.textContent = text;
    node.hidden = !text;
    clearTimeout(bannerTimer);
    if (text && !sticky) bannerTimer = setTimeout(() => { node.hidden = true; }, 8000);
  }

  async function attempt(action) {
    try {
      return await action();
    } catch (e) {
      banner(errorText(e));
      return undefined;
    }
  }

  // ---------------------------------------------------------------- alerts (sound, title, notification)
  let audio = null;
  function unlockAudio() {
    if (!audio && window.AudioContext) audio = new AudioContext();
    if (audio && audio.state === 'suspended') audio.resume();
  }
  document.addEventListener('pointerdown', unlockAudio, { once: true });
  document.addEventListener('keydown', unlockAudio, { once: true });

  function beep() {
    if (!audio) return;
    const now = audio.currentTime;
    for (const [offset, freq] of [[0, 880], [0.18, 1175]]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.25, now + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + offset);
      osc.stop(now + offset + 0.18);
    }
  }

  const baseTitle = () => t('title') + (state.me ? ' — ' + state.me.displayName : '');
  let flashTimer = 0;
  function flashTitle() {
    if (flashTimer) return;
    let on = false;
    flashTimer = setInterval(() => {
      on = !on;
      document.title = on ? t('alert.title') : baseTitle();
    }, 1000);
  }
  function stopFlash() {
    clearInterval(flashTimer);
    flashTimer = 0;
    document.title = baseTitle();
  }
  window.addEventListener('focus', stopFlash);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) stopFlash(); });

  const alerted = new Set();
  function alertEntry(entry) {
    if (!entry || alerted.has(entry.id + ':' + entry.status)) return;
    alerted.add(entry.id + ':' + entry.status);
    beep();
    if (document.hidden || !document.hasFocus()) flashTitle();
    if (window.Notification && Notification.permission === 'granted') {
      try {
        const n = new Notification(t('alert.title'), {
          body: t('alert.body', { customer: entry.customerName || t('anonymousCustomer'), queue: entry.queue, rule: entry.ruleId }),
          tag: 'scenariokit-' + entry.id,
        });
        n.onclick = () => { window.focus(); select(entry.id); n.close(); };
      } catch {
        // Some browsers only allow notifications from a service worker; the sound and the title still alert.
      }
    }
  }

  function updateAlertButton() {
    const button = $('enable-alerts');
    const granted = window.Notification && Notification.permission === 'granted';
    button.textContent = granted ? t('alertsOn') : t('enableAlerts');
    button.disabled = granted || !window.Notification || Notification.permission === 'denied';
  }
  $('enable-alerts').addEventListener('click', async () => {
    unlockAudio();
    if (window.Notification && Notification.permission === 'default') await Notification.requestPermission();
    updateAlertButton();
    beep();
  });

  // ---------------------------------------------------------------- snapshot and lists
  let snapshotRunning = null;
  function loadSnapshot() {
    if (!snapshotRunning) {
      snapshotRunning = (async () => {
        try {
          const snap = await api('GET', 'snapshot');
          const before = new Set(state.entries.keys());
          state.me = snap.me || state.me;
          state.entries = new Map((snap.entries || []).map((e) => [e.id, e]));
          state.queues = snap.queues || [];
          state.agents = snap.agents || [];
          state.stages = snap.stages || [];
          state.openTickets = snap.openTickets || 0;
          for (const entry of state.entries.values()) {
            const mine = entry.agent === state.me.login;
            const waitingHere = entry.status === 'waiting' && servesQueue(entry.queue);
            if (!before.has(entry.id) && initialLoadDone && (waitingHere || (entry.status === 'offered' && mine))) alertEntry(entry);
          }
          initialLoadDone = true;
          renderMe();
          renderLists();
          if (state.tab === 'supervisor') await loadLive();
          renderSupervisor();
          if (state.selected && state.entries.has(state.selected)) renderChatHead();
          if (!$('banner').hidden && $('banner').dataset.network) { banner(''); delete $('banner').dataset.network; }
        } catch (e) {
          if (e instanceof ApiError && e.status === 0) { banner(t('error.network'), true); $('banner').dataset.network = '1'; }
          else banner(errorText(e));
        } finally {
          snapshotRunning = null;
        }
      })();
    }
    return snapshotRunning;
  }
  let initialLoadDone = false;

  let snapshotSoon = 0;
  function reloadSoon() {
    clearTimeout(snapshotSoon);
    snapshotSoon = setTimeout(loadSnapshot, 150);
  }

  function servesQueue(queue) {
    const me = state.me;
    if (!me) return false;
    return (me.queues || []).includes('*') || (me.queues || []).includes(queue);
  }

  function renderMe() {
    const me = state.me;
    $('agent-name').textContent = me.displayName;
    $('agent-role').textContent = t('role.' + me.role);
    $('status-select').value = me.status;
    document.body.dataset.status = me.status;
    for (const tab of document.querySelectorAll('[data-tab="supervisor"]')) tab.hidden = !isSupervisor();
    for (const tab of document.querySelectorAll('[data-tab="audit"]')) tab.hidden = me.role !== 'admin';
    $('whisper-label').hidden = !isSupervisor();
    $('ticket-count').textContent = state.openTickets ? String(state.openTickets) : '';
    if (!flashTimer) document.title = baseTitle();
  }

  function entryName(entry) {
    return entry.customerName || t('anonymousCustomer');
  }

  function sinceSeconds(iso) {
    return (Date.now() - Date.parse(iso)) / 1000;
  }

  function entryItem(entry, kind) {
    const mine = entry.agent === state.me.login;
    const unread = state.unread.get(entry.id) || 0;
    let who = null;
    if (entry.status === 'offered') who = mine ? t('offeredToYou') : t('offeredTo', { name: entry.agentName || entry.agent });
    else if (entry.status === 'assigned' && !mine) who = t('assignedTo', { name: entry.agentName || entry.agent });
    const canAccept = kind === 'waiting' && (entry.status === 'waiting' || (entry.status === 'offered' && mine));
    const item = el('li', {
      class: 'entry' + (entry.id === state.selected ? ' selected' : '') + (entry.status === 'offered' && mine ? ' offered' : ''),
      testid: 'entry-' + entry.id,
      dataset: { entryId: entry.id, status: entry.status },
      tabindex: 0,
      onclick: () => select(entry.id),
      onkeydown: (e) => { if (e.key === 'Enter' && e.target === item) select(entry.id); },
    },
    el('div', { class: 'entry-top' },
      el('strong', { class: 'entry-name', testid: 'name' }, entryName(entry)),
      el('span', { class: 'since', testid: 'waited', dataset: { since: entry.status === 'assigned' && entry.acceptedUtc ? entry.acceptedUtc : entry.waitingSinceUtc } },
        fmtDuration(sinceSeconds(entry.status === 'assigned' && entry.acceptedUtc ? entry.acceptedUtc : entry.waitingSinceUtc))),
      unread ? el('span', { class: 'unread', testid: 'unread' }, t('unread', { n: unread })) : null),
    el('div', { class: 'entry-meta' },
      el('span', { class: 'tag queue', testid: 'queue' }, entry.queue),
      el('span', { class: 'tag rule', testid: 'rule' }, entry.ruleId),
      entry.stage ? el('span', { class: 'tag stage', testid: 'stage' }, entry.stage) : null,
      entry.priority ? el('span', { class: 'tag priority', testid: 'priority' }, t('entry.priority', { n: entry.priority })) : null),
    entry.reason ? el('div', { class: 'entry-reason', testid: 'reason' }, entry.reason) : null,
    who ? el('div', { class: 'entry-who' }, who) : null,
    canAccept ? el('button', { type: 'button', class: 'primary small', testid: 'accept', onclick: (e) => { e.stopPropagation(); accept(entry.id); } }, t('accept')) : null);
    return item;
  }

  function renderLists() {
    const all = [...state.entries.values()];
    const waiting = all
      .filter((e) => (e.status === 'waiting' || e.status === 'offered') && (servesQueue(e.queue) || e.agent === state.me.login))
      .sort((a, b) => (b.priority || 0) - (a.priority || 0) || Date.parse(a.waitingSinceUtc) - Date.parse(b.waitingSinceUtc));
    const mine = all.filter((e) => e.status === 'assigned' && e.agent === state.me.login)
      .sort((a, b) => Date.parse(a.acceptedUtc || a.waitingSinceUtc) - Date.parse(b.acceptedUtc || b.waitingSinceUtc));
    $('waiting-list').replaceChildren(...waiting.map((e) => entryItem(e, 'waiting')));
    $('waiting-count').textContent = String(waiting.length);
    $('waiting-empty').hidden = waiting.length > 0;
    $('my-chats').replaceChildren(...mine.map((e) => entryItem(e, 'mine')));
    $('mychats-count').textContent = String(mine.length);
    $('mychats-empty').hidden = mine.length > 0;
    const monitored = [...state.monitoring].map((id) => state.entries.get(id) || state.details.get(id)?.entry).filter(Boolean)
      .filter((e) => !(e.status === 'assigned' && e.agent === state.me.login));
    $('monitoring-heading').hidden = monitored.length === 0;
    $('monitoring-list').hidden = monitored.length === 0;
    $('monitoring-list').replaceChildren(...monitored.map((e) => entryItem(e, 'monitor')));
  }

  setInterval(() => {
    for (const node of document.querySelectorAll('[data-since]')) node.textContent = fmtDuration(sinceSeconds(node.dataset.since));
  }, 1000);

  // ---------------------------------------------------------------- one chat
  function currentEntry() {
    const id = state.selected;
    if (!id) return null;
    return state.entries.get(id) || state.details.get(id)?.entry || null;
  }

  async function select(id) {
    state.selected = id;
    state.unread.delete(id);
    state.typingUntil = 0;
    renderLists();
    $('chat-empty').hidden = true;
    $('chat-body').hidden = false;
    if (state.tab !== 'chats') showTab('chats');
    renderChatHead();
    await loadDetail(id);
  }

  async function loadDetail(id) {
    const detail = await attempt(() => api('GET', 'entries/' + encodeURIComponent(id)));
    if (!detail) return;
    state.details.set(id, detail);
    if (state.entries.has(id)) state.entries.set(id, { ...state.entries.get(id), ...detail.entry });
    if (state.selected === id) renderChat();
  }

  /** Who may write what in the selected chat. */
  function chatMode(entry) {
    if (!entry) return 'none';
    if (!OPEN.has(entry.status)) return 'ended';
    if (entry.status === 'assigned' && entry.agent === state.me.login) return 'mine';
    if (entry.status === 'offered' && entry.agent === state.me.login) return 'offered';
    if (entry.status === 'waiting' && servesQueue(entry.queue)) return 'waiting';
    return 'monitor';
  }

  function renderChatHead() {
    const entry = currentEntry();
    if (!entry) return;
    const mode = chatMode(entry);
    $('chat-title').textContent = entryName(entry);
    $('chat-status').textContent = t('entryStatus.' + entry.status);
    $('chat-status').dataset.status = entry.status;
    const meta = [entry.queue, entry.ruleId, entry.channelId];
    if (entry.agentName && entry.agent !== state.me.login) meta.push(t('assignedTo', { name: entry.agentName }));
    $('chat-meta').textContent = meta.filter(Boolean).join(' · ');
    $('chat-accept').hidden = !(mode === 'waiting' || mode === 'offered');
    $('chat-takeover').hidden = !(isSupervisor() && mode === 'monitor' && entry.status === 'assigned');
    for (const id of ['chat-transfer', 'chat-return', 'chat-resolve']) $(id).hidden = mode !== 'mine';
    const canWhisper = isSupervisor() && mode === 'monitor' && entry.status === 'assigned';
    const writable = mode === 'mine' || canWhisper || mode === 'waiting' || mode === 'offered';
    $('composer-form').hidden = !writable;
    $('readonly-note').hidden = writable;
    $('readonly-note').textContent = mode === 'ended' ? t('readOnlyEnded') : t('readOnly');
    // Before accepting, and while monitoring, only private notes (or whispers) can be written.
    const notesOnly = mode !== 'mine';
    const noteMode = $('note-mode');
    if (notesOnly) {
      noteMode.checked = true;
      noteMode.dataset.forced = '1';
    } else if (noteMode.dataset.forced) {
      // Accepted (or taken over): the composer talks to the customer again unless the agent ticks the box.
      noteMode.checked = false;
      delete noteMode.dataset.forced;
    }
    noteMode.disabled = notesOnly;
    $('whisper-label').hidden = !canWhisper;
    if (canWhisper && !$('composer-form').dataset.whisperSet) { $('whisper-mode').checked = true; $('composer-form').dataset.whisperSet = '1'; }
    if (!canWhisper) { $('whisper-mode').checked = false; delete $('composer-form').dataset.whisperSet; }
    updatePlaceholder();
    renderTyping();
  }

  function updatePlaceholder() {
    const box = $('composer');
    box.placeholder = $('whisper-mode').checked ? t('whisperPlaceholder') : $('note-mode').checked ? t('notePlaceholder') : t('composerPlaceholder');
    $('composer-form').classList.toggle('note', $('note-mode').checked || $('whisper-mode').checked);
  }
  $('note-mode').addEventListener('change', updatePlaceholder);
  $('whisper-mode').addEventListener('change', updatePlaceholder);

  function lineItem(line) {
    return el('li', { class: 'line ' + line.role, testid: 'line', dataset: { role: line.role, seq: line.seq } },
      el('div', { class: 'line-head' },
        el('span', { class: 'line-who' }, line.name || t('role.' + line.role)),
        el('time', { datetime: line.atUtc }, fmtTime(line.atUtc))),
      el('div', { class: 'line-text', testid: 'line-text' }, line.text));
  }

  function noteItem(note) {
    const kind = note.whisper ? 'whisper' : 'note';
    return el('li', { class: 'line ' + kind, testid: kind, dataset: { role: kind, noteId: note.id } },
      el('div', { class: 'line-head' },
        el('span', { class: 'line-who' }, t('role.' + kind) + ' · ' + note.author),
        el('time', { datetime: note.atUtc }, fmtTime(note.atUtc))),
      el('div', { class: 'line-text', testid: 'line-text' }, note.text));
  }

  function renderTranscript(detail) {
    const items = [
      ...(detail.transcript || []).map((line) => ({ at: Date.parse(line.atUtc), order: 0, node: () => lineItem(line) })),
      ...(detail.notes || []).map((note) => ({ at: Date.parse(note.atUtc), order: 1, node: () => noteItem(note) })),
    ].sort((a, b) => a.at - b.at || a.order - b.order);
    const list = $('transcript');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren(...items.map((i) => i.node()));
    if (atBottom || !list.dataset.entry || list.dataset.entry !== detail.entry.id) list.scrollTop = list.scrollHeight;
    list.dataset.entry = detail.entry.id;
  }

  function renderCanned(detail) {
    const select = $('canned');
    const canned = detail.canned || [];
    select.replaceChildren(
      el('option', { value: '' }, canned.length ? t('cannedPick') : t('cannedNone')),
      ...canned.map((c, i) => el('option', { value: String(i), title: c.text }, c.title || c.text)));
    select.disabled = canned.length === 0;
  }
  $('canned').addEventListener('change', () => {
    const detail = state.details.get(state.selected);
    const choice = detail && detail.canned && detail.canned[Number($('canned').value)];
    if ($('canned').value !== '' && choice) {
      const box = $('composer');
      box.value = box.value ? box.value + (box.value.endsWith('\n') ? '' : '\n') + choice.text : choice.text;
      box.focus();
    }
    $('canned').value = '';
  });

  function renderChat() {
    const detail = state.details.get(state.selected);
    renderChatHead();
    if (!detail) return;
    renderTranscript(detail);
    renderCanned(detail);
    renderContext(detail);
  }

  function renderTyping() {
    const show = Date.now() < state.typingUntil;
    $('typing').hidden = !show;
    $('typing').textContent = show ? t('typing') : '';
  }

  // ---------------------------------------------------------------- context panel
  function section(title, testid, ...content) {
    return el('section', { class: 'ctx-section', testid }, el('h3', {}, title), ...content);
  }

  function keyValues(value, testid) {
    if (value === undefined || value === null) return el('p', { class: 'empty', testid }, t('ctx.none'));
    let pairs;
    if (Array.isArray(value)) {
      pairs = value.map((item, i) => (item && typeof item === 'object' && !Array.isArray(item) && ('name' in item || 'key' in item))
        ? [item.name ?? item.key, item.value ?? item.values ?? item]
        : [String(i + 1), item]);
    } else if (typeof value === 'object') {
      pairs = Object.entries(value);
    } else {
      return el('p', { testid }, show(value));
    }
    if (pairs.length === 0) return el('p', { class: 'empty', testid }, t('ctx.none'));
    return el('dl', { class: 'kv', testid }, pairs.map(([k, v]) => [el('dt', {}, String(k)), el('dd', {}, show(v))]));
  }

  function spanText(span) {
    if (!span) return null;
    if (typeof span === 'string') return span;
    const file = span.file || span.path || '';
    const line = span.line ?? span.startLine ?? span.start?.line;
    const column = span.column ?? span.startColumn ?? span.start?.column;
    if (line === undefined) return show(span);
    return column !== undefined ? `${file}(${line},${column})` : `${file}:${line}`;
  }

  function historyList(history) {
    if (!Array.isArray(history) || history.length === 0) return el('p', { class: 'empty', testid: 'context-stage-history' }, t('ctx.none'));
    return el('ol', { class: 'history', testid: 'context-stage-history' }, history.map((h) => {
      if (h && typeof h === 'object') {
        const labelKey = ['stage', 'name', 'path', 'event'].find((k) => h[k] !== undefined && h[k] !== null);
        const label = labelKey ? h[labelKey] : show(h);
        const at = h.atUtc ?? h.at ?? h.enteredUtc;
        const rest = Object.entries(h).filter(([k]) => k !== labelKey && !['atUtc', 'at', 'enteredUtc'].includes(k));
        return el('li', {}, el('span', { class: 'history-stage' }, show(label)), at ? el('time', { datetime: at }, ' ' + fmtTime(at)) : null,
          rest.length ? el('span', { class: 'history-detail' }, ' ' + rest.map(([k, v]) => `${k}: ${show(v)}`).join(', ')) : null);
      }
      return el('li', {}, show(h));
    }));
  }

  // The engine's handoff context (HandoffDecision.ToEventValue): these keys are fixed; every other top-level key is a
  // shared variable of the scenario (handoff.share), e.g. "order.number".
  const CONTEXT_KEYS = new Set(['transcript', 'queue', 'rule', 'reason', 'offer', 'withinHours', 'ruleSpan', 'conditionValues', 'stage',
    'stageHistory', 'recentEvents', 'intent', 'confidence', 'answers', 'scenarioId', 'packageVersion', 'priority', 'unattended',
    'unattendedReason', 'shared']);

  function renderContext(detail) {
    const entry = detail.entry;
    const ctx = (detail.context && typeof detail.context === 'object') ? detail.context : {};
    const intent = entry.intent ?? ctx.intent;
    const score = entry.score ?? ctx.confidence;
    const shared = (ctx.shared && typeof ctx.shared === 'object') ? ctx.shared
      : Object.fromEntries(Object.entries(ctx).filter(([k]) => !CONTEXT_KEYS.has(k)));
    const earlier = detail.earlierSessions || [];
    const body = [
      section(t('ctx.rule'), 'context-rule-section',
        el('p', { class: 'rule', testid: 'context-rule' }, el('code', {}, entry.ruleId || ctx.rule || t('ctx.none'))),
        el('p', { class: 'rule-location', testid: 'context-rule-location' }, t('ctx.ruleLocation') + ': ',
          el('code', {}, entry.ruleLocation || spanText(ctx.ruleSpan) || t('ctx.none'))),
        el('p', { testid: 'context-reason' }, t('ctx.reason') + ': ' + show(entry.reason || ctx.reason)),
        Array.isArray(ctx.offer) && ctx.offer.length ? el('p', { testid: 'context-offer' }, t('ctx.offer') + ': ' + ctx.offer.join(', ')) : null,
        el('h4', {}, t('ctx.conditions')),
        keyValues(ctx.conditionValues, 'context-conditions')),
      section(t('ctx.journey'), 'context-journey',
        el('p', { testid: 'context-stage' }, t('ctx.stage') + ': ', el('strong', {}, show(entry.stage ?? ctx.stage))),
        el('h4', {}, t('ctx.stageHistory')),
        historyList(ctx.stageHistory),
        Array.isArray(ctx.recentEvents) && ctx.recentEvents.length
          ? [el('h4', {}, t('ctx.recentEvents')), keyValues(ctx.recentEvents, 'context-events')] : null),
      section(t('ctx.intent'), 'context-intent',
        el('p', {}, el('strong', {}, show(intent)), score !== undefined && score !== null ? ' ' + t('ctx.score', { score: typeof score === 'number' ? score.toFixed(2) : show(score) }) : '')),
      section(t('ctx.shared'), 'context-shared-section', keyValues(shared, 'context-shared')),
      section(t('ctx.answers'), 'context-answers-section', keyValues(ctx.answers, 'context-answers')),
      section(t('ctx.conversation'), 'context-conversation',
        el('dl', { class: 'kv' },
          el('dt', {}, t('ctx.queue')), el('dd', {}, entry.queue),
          el('dt', {}, t('ctx.scenario')), el('dd', {}, `${entry.scenarioId} ${entry.scenarioVersion || ''}`),
          el('dt', {}, t('ctx.channel')), el('dd', {}, show(entry.channelId)),
          el('dt', {}, t('ctx.locale')), el('dd', {}, show(entry.locale)),
          el('dt', {}, t('ctx.waitingSince')), el('dd', {}, fmtDate(entry.waitingSinceUtc)))),
      section(t('ctx.earlier'), 'context-earlier',
        earlier.length === 0 ? el('p', { class: 'empty' }, t('ctx.earlierNone'))
          : el('ul', { class: 'earlier' }, earlier.map((e) => el('li', {},
            el('button', { type: 'button', class: 'link', onclick: () => openEarlier(e) }, fmtDate(e.waitingSinceUtc)),
            ` ${e.queue} · ${e.ruleId} · ${t('entryStatus.' + e.status)}${e.outcome ? ' · ' + e.outcome : ''}`)))),
    ];
    $('context-body').replaceChildren(...body.filter(Boolean).flat());
  }

  async function openEarlier(entry) {
    state.details.delete(entry.id);
    state.monitoring.add(entry.id);
    await select(entry.id);
  }

  // ---------------------------------------------------------------- actions
  async function accept(id) {
    unlockAudio();
    const entry = await attempt(() => api('POST', `entries/${encodeURIComponent(id)}/accept`));
    if (!entry) { reloadSoon(); return; }
    state.entries.set(entry.id, entry);
    renderLists();
    await select(entry.id);
    $('composer').focus();
  }
  $('chat-accept').addEventListener('click', () => state.selected && accept(state.selected));

  $('chat-takeover').addEventListener('click', async () => {
    const id = state.selected;
    const entry = await attempt(() => api('POST', `entries/${encodeURIComponent(id)}/takeover`));
    if (!entry) return;
    state.entries.set(entry.id, entry);
    state.monitoring.delete(id);
    await select(id);
  });

  async function monitor(id) {
    const detail = await attempt(() => api('POST', `entries/${encodeURIComponent(id)}/monitor`));
    if (!detail) return;
    state.details.set(id, detail);
    state.monitoring.add(id);
    state.selected = id;
    showTab('chats');
    $('chat-empty').hidden = true;
    $('chat-body').hidden = false;
    renderLists();
    renderChat();
  }

  async function join(key) {
    const entry = await attempt(() => api('POST', `conversations/${encodeURIComponent(key)}/join`));
    if (!entry) return;
    state.entries.set(entry.id, entry);
    await select(entry.id);
  }

  async function send() {
    const id = state.selected;
    const box = $('composer');
    const text = box.value.trim();
    if (!id || !text) return;
    const whisper = $('whisper-mode').checked && !$('whisper-label').hidden;
    const note = $('note-mode').checked || whisper;
    box.value = '';
    const path = `entries/${encodeURIComponent(id)}/` + (note ? 'notes' : 'messages');
    const ok = await attempt(() => api('POST', path, note ? { text, whisper } : { text }));
    if (ok === undefined) { box.value = text; return; }
    state.lastTypingSent = 0;
    // The POST answers once the line is in the conversation log: read it back at once (a push may also bring it).
    if (state.selected === id) await refreshDetailQuietly(id);
  }

  $('composer-form').addEventListener('submit', (e) => { e.preventDefault(); send(); });
  $('composer').addEventListener('keydown', (e) => {
    // Enter while an IME is composing (Japanese input) confirms the conversion; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      send();
    }
  });
  $('composer').addEventListener('input', () => {
    const entry = currentEntry();
    if (!entry || chatMode(entry) !== 'mine' || $('note-mode').checked) return;
    const now = Date.now();
    if (now - state.lastTypingSent < 3000) return;
    state.lastTypingSent = now;
    api('POST', `entries/${encodeURIComponent(entry.id)}/typing`).catch(() => {});
  });

  async function refreshDetailQuietly(id) {
    try {
      const detail = await api('GET', 'entries/' + encodeURIComponent(id));
      state.details.set(id, detail);
      if (state.entries.has(id)) state.entries.set(id, { ...state.entries.get(id), ...detail.entry });
      if (state.selected === id) renderChat();
    } catch {
      // The next snapshot or push catches up.
    }
  }

  // Dialogs: a <dialog> per action; errors from the server (e.g. a value that does not fit the scenario) stay in the dialog.
  function openDialog(id) {
    const dialog = $(id);
    for (const error of dialog.querySelectorAll('.dialog-error')) { error.hidden = true; error.textContent = ''; }
    dialog.showModal();
  }
  for (const button of document.querySelectorAll('dialog [data-close]')) button.addEventListener('click', () => button.closest('dialog').close());

  function dialogError(id, text) {
    $(id).textContent = text;
    $(id).hidden = false;
  }

  $('chat-transfer').addEventListener('click', () => {
    const detail = state.details.get(state.selected);
    if (!detail) return;
    $('transfer-queue').replaceChildren(el('option', { value: '' }, '—'),
      ...(detail.transferQueues || []).map((q) => el('option', { value: q }, q)));
    $('transfer-agent').replaceChildren(el('option', { value: '' }, '—'),
      ...(detail.transferAgents || []).filter((a) => a.login !== state.me.login)
        .map((a) => el('option', { value: a.login }, `${a.displayName} (${t('agentStatus.' + a.status)})`)));
    $('transfer-note').value = '';
    openDialog('transfer-dialog');
  });
  $('transfer-queue').addEventListener('change', () => { document.querySelector('input[name="transfer-kind"][value="queue"]').checked = true; });
  $('transfer-agent').addEventListener('change', () => { document.querySelector('input[name="transfer-kind"][value="agent"]').checked = true; });
  $('transfer-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const kind = document.querySelector('input[name="transfer-kind"]:checked').value;
    const target = kind === 'queue' ? $('transfer-queue').value : $('transfer-agent').value;
    if (!target) { dialogError('transfer-error', t('transfer.pickOne')); return; }
    const body = { note: $('transfer-note').value.trim() || undefined };
    body[kind] = target;
    try {
      await api('POST', `entries/${encodeURIComponent(state.selected)}/transfer`, body);
      $('transfer-dialog').close();
      reloadSoon();
      refreshDetailQuietly(state.selected);
    } catch (err) {
      dialogError('transfer-error', errorText(err));
    }
  });

  function variableInput(variable) {
    const id = 'var-' + variable.name;
    let input;
    const type = (variable.type || 'string').toLowerCase();
    if (Array.isArray(variable.enum) && variable.enum.length) {
      input = el('select', { id, dataset: { kind: 'enum', type } }, el('option', { value: '' }, t('enum.unset')),
        variable.enum.map((v) => el('option', { value: JSON.stringify(v) }, show(v))));
    } else if (type === 'boolean' || type === 'bool') {
      input = el('select', { id, dataset: { kind: 'boolean', type } }, el('option', { value: '' }, t('bool.unset')),
        el('option', { value: 'true' }, t('bool.true')), el('option', { value: 'false' }, t('bool.false')));
    } else if (type === 'number' || type === 'integer' || type === 'int') {
      input = el('input', { id, type: 'number', step: type === 'number' ? 'any' : '1', dataset: { kind: 'number', type } });
    } else if (type === 'string' || type === 'date' || type === 'datetime' || type === 'time') {
      input = el('input', { id, type: 'text', maxlength: 4000, dataset: { kind: 'string', type } });
    } else {
      input = el('input', { id, type: 'text', placeholder: 'JSON', dataset: { kind: 'json', type } });
    }
    input.dataset.name = variable.name;
    input.dataset.testid = 'var-' + variable.name;
    return el('div', { class: 'variable' }, el('label', { for: id }, variable.name, el('span', { class: 'type' }, ' : ' + (variable.type || 'string'))), input);
  }

  $('chat-return').addEventListener('click', () => {
    const detail = state.details.get(state.selected);
    if (!detail) return;
    const handback = detail.handback || { flows: [], variables: [] };
    $('return-flow').replaceChildren(el('option', { value: '' }, t('return.noFlow')),
      ...(handback.flows || []).map((f) => el('option', { value: f }, f)));
    const variables = handback.variables || [];
    $('return-variables').replaceChildren(...(variables.length ? variables.map(variableInput) : [el('p', { class: 'empty' }, t('return.noVariables'))]));
    $('return-message').value = '';
    openDialog('return-dialog');
  });

  function readVariables() {
    const values = {};
    for (const input of $('return-variables').querySelectorAll('[data-name]')) {
      const raw = input.value.trim();
      if (raw === '') continue;
      const name = input.dataset.name;
      const bad = () => { throw new Error(t('return.badValue', { name, type: input.dataset.type })); };
      switch (input.dataset.kind) {
        case 'enum': values[name] = JSON.parse(raw); break;
        case 'boolean': values[name] = raw === 'true'; break;
        case 'number': {
          const n = Number(raw);
          if (!Number.isFinite(n) || (input.dataset.type !== 'number' && !Number.isInteger(n))) bad();
          values[name] = n;
          break;
        }
        case 'json': try { values[name] = JSON.parse(raw); } catch { bad(); } break;
        default: values[name] = raw;
      }
    }
    return values;
  }

  $('return-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    let variables;
    try { variables = readVariables(); } catch (err) { dialogError('return-error', err.message); return; }
    const body = {
      flow: $('return-flow').value || undefined,
      variables: Object.keys(variables).length ? variables : undefined,
      message: $('return-message').value.trim() || undefined,
    };
    const id = state.selected;
    try {
      await api('POST', `entries/${encodeURIComponent(id)}/return`, body);
      $('return-dialog').close();
      reloadSoon();
      refreshDetailQuietly(id);
    } catch (err) {
      dialogError('return-error', errorText(err));
    }
  });

  $('chat-resolve').addEventListener('click', () => {
    if (!state.details.get(state.selected)) return;
    $('resolve-message').value = '';
    openDialog('resolve-dialog');
  });
  $('resolve-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = state.selected;
    try {
      await api('POST', `entries/${encodeURIComponent(id)}/resolve`, { message: $('resolve-message').value.trim() || undefined });
      $('resolve-dialog').close();
      reloadSoon();
      refreshDetailQuietly(id);
    } catch (err) {
      dialogError('resolve-error', errorText(err));
    }
  });

  $('status-select').addEventListener('change', async () => {
    const status = $('status-select').value;
    unlockAudio();
    const ok = await attempt(() => api('POST', 'status', { status }));
    if (ok === undefined) { $('status-select').value = state.me.status; return; }
    state.me.status = status;
    document.body.dataset.status = status;
    reloadSoon();
  });

  // ---------------------------------------------------------------- tickets
  async function loadTickets() {
    const all = $('tickets-all').checked;
    const tickets = await attempt(() => api('GET', 'tickets' + (all ? '?all=true' : '')));
    if (!tickets) return;
    $('tickets-list').replaceChildren(...tickets.map(ticketRow));
    $('tickets-empty').hidden = tickets.length > 0;
    if (!all) { state.openTickets = tickets.length; $('ticket-count').textContent = tickets.length ? String(tickets.length) : ''; }
  }
  $('tickets-all').addEventListener('change', loadTickets);

  function ticketRow(ticket) {
    const ctx = ticket.context && typeof ticket.context === 'object' ? ticket.context : {};
    const summary = [ctx.stage, ctx.rule || ctx.ruleId, ctx.reason].filter(Boolean).map(show).join(' · ');
    let resolution;
    if (ticket.closed) {
      resolution = el('div', {}, show(ticket.resolution), el('div', { class: 'muted' }, t('ticket.closedBy', { who: ticket.closedBy, at: fmtDate(ticket.closedUtc) })));
    } else {
      const input = el('input', { type: 'text', maxlength: 2000, placeholder: t('ticket.resolutionPlaceholder'), testid: 'ticket-resolution' });
      resolution = el('form', { class: 'inline', onsubmit: async (e) => {
        e.preventDefault();
        const done = await attempt(() => api('POST', `tickets/${encodeURIComponent(ticket.number)}/close`, { resolution: input.value.trim() || undefined }));
        if (done) loadTickets();
      } }, input, el('button', { type: 'submit', testid: 'ticket-close' }, t('ticket.close')));
    }
    return el('tr', { testid: 'ticket-' + ticket.number, class: ticket.closed ? 'closed' : '' },
      el('td', {}, ticket.number),
      el('td', {}, TEXT.en['ticketKind.' + ticket.kind] ? t('ticketKind.' + ticket.kind) : ticket.kind),
      el('td', {}, show(ticket.contact)),
      el('td', {}, show(ticket.preferredTime)),
      el('td', {}, fmtDate(ticket.createdUtc)),
      el('td', {}, show(ticket.queue)),
      el('td', {}, summary ? el('div', {}, summary) : null, ticket.note ? el('div', { class: 'muted' }, ticket.note) : null,
        el('details', {}, el('summary', {}, t('ctx.more')), keyValues(ctx, 'ticket-context'))),
      el('td', {}, resolution));
  }

  // ---------------------------------------------------------------- supervisor
  async function loadLive() {
    if (!isSupervisor()) return;
    try { state.live = await api('GET', 'live'); } catch (e) { banner(errorText(e)); }
  }

  function renderSupervisor() {
    if (!isSupervisor()) return;
    const stages = [...state.stages].sort((a, b) => b.count - a.count);
    $('sup-stages').replaceChildren(...stages.map((s) => el('li', { testid: 'stage-' + s.stage }, el('span', { class: 'stage-name' }, s.stage || t('ctx.none')), el('strong', {}, String(s.count)))));
    $('sup-queues').replaceChildren(...state.queues.map((q) => el('tr', { testid: 'queue-' + q.name },
      el('td', {}, q.name), el('td', {}, String(q.waiting)), el('td', {}, q.waiting ? fmtDuration(q.longestWaitSeconds) : t('ctx.none')), el('td', {}, String(q.online)))));
    $('sup-agents').replaceChildren(...state.agents.map((a) => el('tr', { testid: 'agent-' + a.login, dataset: { status: a.status } },
      el('td', {}, a.displayName, el('span', { class: 'muted' }, ' ' + a.login)),
      el('td', {}, t('role.' + a.role)),
      el('td', {}, el('span', { class: 'dot ' + a.status }), ' ' + t('agentStatus.' + a.status)),
      el('td', {}, `${a.activeChats} / ${a.maxChats}`),
      el('td', {}, a.connected ? t('yes') : t('no')))));
    const open = [...state.entries.values()].filter((e) => OPEN.has(e.status))
      .sort((a, b) => Date.parse(a.waitingSinceUtc) - Date.parse(b.waitingSinceUtc));
    $('sup-entries').replaceChildren(...open.map((e) => el('tr', { testid: 'sup-entry-' + e.id },
      el('td', {}, entryName(e)), el('td', {}, e.queue), el('td', {}, t('entryStatus.' + e.status)), el('td', {}, show(e.agentName || e.agent)),
      el('td', { dataset: { since: e.waitingSinceUtc } }, fmtDuration(sinceSeconds(e.waitingSinceUtc))),
      el('td', {}, e.ruleId), el('td', {}, show(e.stage)),
      el('td', { class: 'row-actions' },
        el('button', { type: 'button', testid: 'monitor', onclick: () => monitor(e.id) }, t('monitor')),
        e.status === 'assigned' && e.agent !== state.me.login
          ? el('button', { type: 'button', testid: 'sup-takeover', onclick: async () => {
            const taken = await attempt(() => api('POST', `entries/${encodeURIComponent(e.id)}/takeover`));
            if (taken) { state.entries.set(taken.id, taken); await select(taken.id); }
          } }, t('takeOver')) : null))));
    $('sup-live').replaceChildren(...(state.live || []).map((c) => el('tr', { testid: 'live-' + c.conversationKey },
      el('td', {}, c.customerName || t('anonymousCustomer')), el('td', {}, c.scenarioId), el('td', {}, show(c.stage)),
      el('td', {}, c.withAgent ? t('yes') : t('no')), el('td', {}, fmtTime(c.updatedUtc)),
      el('td', {}, c.withAgent ? null : el('button', { type: 'button', testid: 'join', onclick: () => join(c.conversationKey) }, t('join'))))));
  }

  // ---------------------------------------------------------------- audit
  async function loadAudit() {
    const params = new URLSearchParams();
    if ($('audit-actor').value.trim()) params.set('actor', $('audit-actor').value.trim());
    if ($('audit-conversation').value.trim()) params.set('conversation', $('audit-conversation').value.trim());
    params.set('limit', $('audit-limit').value || '200');
    const rows = await attempt(() => api('GET', 'audit?' + params.toString()));
    if (!rows) return;
    $('audit-list').replaceChildren(...rows.map((r) => el('tr', { testid: 'audit-' + r.id },
      el('td', {}, fmtDate(r.atUtc)), el('td', {}, r.actor), el('td', {}, r.action),
      el('td', {}, show(r.conversationKey)), el('td', {}, show(r.entryId)), el('td', {}, show(r.detail)))));
  }
  $('audit-filter').addEventListener('submit', (e) => { e.preventDefault(); loadAudit(); });

  // ---------------------------------------------------------------- tabs
  function showTab(tab) {
    state.tab = tab;
    for (const view of document.querySelectorAll('.view')) view.hidden = view.dataset.view !== tab;
    for (const button of document.querySelectorAll('[data-tab]')) button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    if (tab === 'tickets') loadTickets();
    if (tab === 'supervisor') loadLive().then(renderSupervisor);
    if (tab === 'audit') loadAudit();
  }
  for (const button of document.querySelectorAll('[data-tab]')) button.addEventListener('click', () => showTab(button.dataset.tab));

  // ---------------------------------------------------------------- real time
  function setConnection(s) {
    $('connection').textContent = t('connection.' + s);
    $('connection').dataset.state = s;
  }

  function onLine(payload) {
    const { entryId, line } = payload;
    const detail = state.details.get(entryId);
    if (detail) {
      const transcript = detail.transcript || (detail.transcript = []);
      if (!transcript.some((l) => l.seq === line.seq)) transcript.push(line);
      transcript.sort((a, b) => a.seq - b.seq);
    }
    if (line.role === 'customer' && state.selected === entryId) state.typingUntil = 0;
    if (state.selected === entryId && detail) renderTranscript(detail);
    else if (line.role === 'customer') {
      state.unread.set(entryId, (state.unread.get(entryId) || 0) + 1);
      renderLists();
    }
    renderTyping();
  }

  function onNote(payload) {
    const { entryId, note } = payload;
    const detail = state.details.get(entryId);
    if (!detail) return;
    const notes = detail.notes || (detail.notes = []);
    if (!notes.some((n) => n.id === note.id)) notes.push(note);
    if (state.selected === entryId) renderTranscript(detail);
  }

  let connection = null;
  async function connect() {
    if (!window.signalR) { setConnection('disconnected'); banner('signalr.min.js', true); return; }
    connection = new signalR.HubConnectionBuilder()
      // WebSockets straight away, without the negotiate request: behind a load balancer without sticky sessions the
      // negotiate and the connect could reach different nodes (docs/deploy.md, "Several nodes").
      .withUrl('/agent/hub', { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
      .withAutomaticReconnect()
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    connection.on('queueChanged', (change) => {
      if (change && change.change === 'added' && initialLoadDone && servesQueue(change.queue)) {
        // Alert as soon as the entry is known (the snapshot has it after the reload).
        loadSnapshot().then(() => alertEntry(state.entries.get(change.entryId)));
      } else {
        reloadSoon();
      }
      if (change && change.entryId === state.selected) refreshDetailQuietly(change.entryId);
    });
    connection.on('offered', (entry) => {
      state.entries.set(entry.id, entry);
      renderLists();
      alertEntry(entry);
      if (entry.status === 'assigned' && entry.agent === state.me.login && !state.selected) select(entry.id);
    });
    connection.on('line', onLine);
    connection.on('typing', ({ entryId }) => {
      if (state.selected !== entryId) return;
      state.typingUntil = Date.now() + 5000;
      renderTyping();
      setTimeout(renderTyping, 5100);
    });
    connection.on('note', onNote);
    connection.on('presence', ({ login, status }) => {
      const agent = state.agents.find((a) => a.login === login);
      if (agent) { agent.status = status; renderSupervisor(); }
      if (state.me && login === state.me.login) { state.me.status = status; renderMe(); }
    });
    connection.on('tickets', () => {
      if (state.tab === 'tickets') loadTickets();
      else reloadSoon();
    });
    connection.onreconnecting(() => setConnection('reconnecting'));
    connection.onreconnected(() => {
      setConnection('connected');
      loadSnapshot();
      if (state.selected) refreshDetailQuietly(state.selected);
    });
    // withAutomaticReconnect gives up after four tries; keep trying with a slower pace for as long as the page is open.
    connection.onclose(() => { setConnection('disconnected'); setTimeout(start, 10000); });
    await start();
  }

  async function start() {
    if (!connection || connection.state !== 'Disconnected') return;
    setConnection('connecting');
    try {
      await connection.start();
      setConnection('connected');
      loadSnapshot();
    } catch {
      setConnection('disconnected');
      setTimeout(start, 10000);
    }
  }

  // ---------------------------------------------------------------- start
  function setLanguageSwitch() {
    const other = lang === 'ja' ? 'en' : 'ja';
    const params = new URLSearchParams(location.search);
    params.set('lang', other);
    $('lang-switch').href = location.pathname + '?' + params.toString();
    $('lang-switch').textContent = t('otherLanguage');
  }

  async function main() {
    document.documentElement.lang = lang;
    applyText(document);
    setLanguageSwitch();
    updateAlertButton();
    setConnection('connecting');
    try {
      state.me = await api('GET', 'me');
    } catch (e) {
      banner(errorText(e), true);
      return;
    }
    renderMe();
    await loadSnapshot();
    showTab('chats');
    connect();
    // The safety net: pushes can be lost while a socket silently dies; the snapshot is the truth.
    setInterval(() => {
      loadSnapshot();
      if (state.selected) refreshDetailQuietly(state.selected);
      if (state.tab === 'tickets') loadTickets();
    }, 15000);
  }

  main();
})();
