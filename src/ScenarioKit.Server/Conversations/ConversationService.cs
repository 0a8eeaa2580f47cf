using System.Collections.Immutable;
using System.Diagnostics;
using Activity = ScenarioKit.BotFramework.Schema.Activity;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScenarioKit.BotFramework.Schema;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Conversations;

/// <summary>Where a turn comes from and where its replies go: the same shape for /api/messages and Direct Line.</summary>
internal sealed record ChannelContext(
    string Key,
    string ConversationId,
    string ChannelId,
    string? ServiceUrl,
    ConversationAccount Conversation,
    ChannelAccount User,
    ChannelAccount? Bot,
    string? Locale,
    string? ScenarioId,
    string? ScenarioVersion);

/// <param name="Incoming">The client's activity, logged (transcript, Direct Line echo) before the bot's replies; null for none.</param>
/// <param name="AssignIncomingId">Direct Line: the server is the channel, so it gives the incoming activity its id and timestamp.</param>
/// <param name="Input">What the bot is asked to handle; null only logs <paramref name="Incoming"/>.</param>
/// <param name="RequireHuman">Refuse the turn (nothing logged) unless a human agent has the conversation: an agent's line after the conversation went back to the bot.</param>
internal sealed record TurnRequest(ChannelContext Channel, Activity? Incoming, bool AssignIncomingId, BotInput? Input, bool CreateIfMissing = true, bool RequireHuman = false);

/// <param name="ReplyJson">The replies exactly as logged, so answers need not serialize them again.</param>
internal sealed record TurnOutcome(Activity? Incoming, ImmutableArray<Activity> Replies, ConversationRecord Record, bool Created)
{
    public ImmutableArray<ReadOnlyMemory<byte>> ReplyJson { get; init; } = [];

    /// <summary>Contact requests the scenario raised this turn (<c>ticket</c> steps), for the agent hub.</summary>
    public ImmutableArray<JsonElement> Tickets { get; init; } = [];

    /// <summary>Handoffs that reached nobody (no agent online), as their <c>handoff.initiate</c> value, for the hub's records.</summary>
    public ImmutableArray<JsonElement> UnattendedHandoffs { get; init; } = [];
}

/// <summary>The conversation is with the bot, so a human's line was refused (the engine state owns the conversation).</summary>
internal sealed class ConversationNotWithHumanException(string key) : Exception($"Conversation '{key}' is not with a human agent.");

internal sealed class ScenarioNotFoundException(string message) : Exception(message);

internal sealed class ConversationNotFoundException(string key) : Exception($"Conversation '{key}' does not exist.");

/// <summary>
/// Runs one turn of one conversation: load → bot → log → persist → publish, under the conversation's lock.
/// A turn's state, incoming activity and replies are written in one transaction before the caller
/// acknowledges anything (issue 6, Storage). A version conflict (another node wrote the conversation)
/// reloads and runs the turn again: the engine is pure, so a re-run gives the answer the newer state calls for.
/// </summary>
internal sealed class ConversationService(
    IConversationStore store,
    ScenarioCatalog catalog,
    ConversationLocks locks,
    ConversationFeed feed,
    ServerMetrics metrics,
    TimeProvider time,
    ILogger<ConversationService> logger,
    PackageDeployer? deployer = null,
    IConversationObserver? observer = null,
    ScenarioServerOptions? options = null)
{
    const int MaxAttempts = 3;
    readonly RecentConversations _recent = new(capacity: 50_000);
    const int MaxTranscriptActivities = RecentConversations.MaxLogActivities;
    readonly TimeSpan _activityRetention = options?.Retention.ActivityJson ?? new RetentionSettings().ActivityJson;

    public ScenarioCatalog Catalog => catalog;

    public async Task<TurnOutcome> RunAsync(TurnRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                _recent.Forget(request.Channel.Key);
                var key = request.Channel.Key;
                if (logger.IsEnabled(LogLevel.Information))
                    logger.LogInformation("Conversation {Key} changed under turn (attempt {Attempt}); running the turn again.", key, attempt);
            }
        }
    }

    async Task<TurnOutcome> RunOnceAsync(TurnRequest request, CancellationToken cancellationToken)
    {
        var ch = request.Channel;
        using var _ = await locks.AcquireAsync(ch.Key, cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        // The row this node wrote last is normally still current; if another node wrote since, the
        // versioned save fails and the retry reads the store.
        var record = _recent.Get(ch.Key, out var heldLog) ?? await store.GetAsync(ch.Key, cancellationToken).ConfigureAwait(false);
        IScenarioBot bot;
        if (record is null)
        {
            if (!request.CreateIfMissing) throw new ConversationNotFoundException(ch.Key);
            bot = catalog.Resolve(ch.ScenarioId, ch.ScenarioVersion) ?? throw new ScenarioNotFoundException(DescribeMissing(ch.ScenarioId, ch.ScenarioVersion));
        }
        else
        {
            bot = catalog.Find(record.ScenarioId, record.ScenarioVersion)
                ?? (deployer is null ? null : await deployer.RestoreAsync(record.ScenarioId, record.ScenarioVersion, cancellationToken).ConfigureAwait(false))
                ?? throw new ScenarioNotFoundException($"Conversation '{ch.ConversationId}' runs scenario '{record.ScenarioId}' version {record.ScenarioVersion}, which is not loaded.");
        }

        if (request.RequireHuman && record?.WithAgent != true) throw new ConversationNotWithHumanException(ch.Key);
        var now = time.GetUtcNow();
        var userId = ch.User.Id ?? record?.UserId ?? "user";
        var state = record is null ? bot.Start(ch.ConversationId, userId) : StoredBytes.AsArray(record.State);
        var seq = record?.LastSeq ?? 0;
        var isStarted = record?.Started ?? false;
        var withAgent = record?.WithAgent ?? false;
        var appended = new List<StoredActivity>(4);
        // The conversation's activities so far when this node holds them (a new conversation has none); read from the
        // store only when a turn needs them (a handoff's transcript).
        var log = record is null || record.LastSeq == 0 ? [] : Unexpired(heldLog, record, now);

        Activity? incoming = null;
        if (request.Incoming is { } inc)
        {
            seq++;
            incoming = request.AssignIncomingId
                ? inc with { Id = ActivityId(ch.ConversationId, seq), Timestamp = now }
                : inc.Timestamp is null ? inc with { Timestamp = now } : inc;
            Append(incoming);
        }

        var input = request.Input switch
        {
            // Ids assigned here (Direct Line) reach the engine too: it dedupes redelivered activities by id.
            BotMessageInput { ActivityId: null } m when incoming is not null => m with { ActivityId = incoming.Id },
            BotEventInput { ActivityId: null } e when incoming is not null => e with { ActivityId = incoming.Id },
            var other => other,
        };
        if (input is BotConversationStartInput)
        {
            // Welcome once per conversation, however many conversationUpdates announce members.
            if (isStarted) input = null;
            isStarted = true;
        }

        var replies = ImmutableArray.CreateBuilder<Activity>(0);
        var replyJson = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(0);
        // Tickets and unattended handoffs are rare: their builders exist only on the turns that have some.
        ImmutableArray<JsonElement>.Builder? tickets = null;
        ImmutableArray<JsonElement>.Builder? unattendedHandoffs = null;
        BotTurnResult? result = null;
        if (input is not null)
        {
            result = await bot.RunTurnAsync(state, input, cancellationToken).ConfigureAwait(false);
            // A channel's redelivery of an activity already handled: answered with nothing, logged once, state as it was.
            if (result.Info.Duplicate && record is not null)
                return new TurnOutcome(incoming, [], record, Created: false);
            state = result.State;
            withAgent = result.Info.WithAgent;
            // Sized for the usual turn (every output a reply), so that ToImmutable below takes the array without copying it.
            replies.Capacity = replyJson.Capacity = result.Outputs.Length;
            // The channel's own accounts are used as they are when their roles are already right (the usual case).
            var botAccount = ch.Bot is { Role: RoleTypes.Bot } channelBot ? channelBot
                : (ch.Bot ?? new ChannelAccount { Id = bot.ScenarioId, Name = bot.ScenarioId }) with { Role = RoleTypes.Bot };
            var userAccount = ch.User.Role is null ? ch.User with { Role = RoleTypes.User } : ch.User;
            foreach (var output in result.Outputs)
            {
                // Tickets are for the agent hub (issue 9), not activities for the customer.
                if (output is BotTicketOutput ticket)
                {
                    (tickets ??= ImmutableArray.CreateBuilder<JsonElement>()).Add(ticket.Value);
                    continue;
                }
                if (output is BotUnattendedHandoffOutput unattended)
                {
                    (unattendedHandoffs ??= ImmutableArray.CreateBuilder<JsonElement>()).Add(unattended.Value);
                    continue;
                }
                seq++;
                var reply = output switch
                {
                    BotTextOutput text => Reply(
                        ActivityTypes.Message,
                        text: text.Text,
                        inputHint: text.ExpectingInput ? InputHints.ExpectingInput : InputHints.AcceptingInput,
                        suggestedActions: text.Suggestions.IsDefaultOrEmpty ? null : new SuggestedActions
                        {
                            Actions = [.. text.Suggestions.Select(s => new CardAction { Type = ActionTypes.ImBack, Title = s, Value = JsonSerializer.SerializeToElement(s, BotFrameworkJson.Options) })],
                        }),
                    BotHandoffOutput handoff => Reply(
                        ActivityTypes.Event,
                        name: "handoff.initiate",
                        value: handoff.Value,
                        attachments: [TranscriptAttachment(log ??= await ReadLogAsync(ch.Key, cancellationToken).ConfigureAwait(false), appended)],
                        relatesTo: incoming is null ? null : new ConversationReference
                        {
                            ActivityId = incoming.Id,
                            User = userAccount,
                            Bot = botAccount,
                            Conversation = ch.Conversation,
                            ChannelId = ch.ChannelId,
                            ServiceUrl = ch.ServiceUrl,
                        }),
                    _ => throw new UnreachableException(output.GetType().Name),
                };
                Append(reply);
                replies.Add(reply);
                replyJson.Add(appended[^1].Json);
            }

            // One activity per reply, built whole: the fields every reply shares, then the type's own.
            Activity Reply(string type, string? text = null, string? inputHint = null, SuggestedActions? suggestedActions = null,
                string? name = null, JsonElement? value = null, IReadOnlyList<Attachment>? attachments = null, ConversationReference? relatesTo = null) => new()
            {
                Type = type,
                Id = ActivityId(ch.ConversationId, seq),
                Timestamp = now,
                ChannelId = ch.ChannelId,
                ServiceUrl = ch.ServiceUrl,
                From = botAccount,
                Recipient = userAccount,
                Conversation = ch.Conversation,
                ReplyToId = incoming?.Id,
                Locale = ch.Locale ?? bot.Locale,
                Text = text,
                InputHint = inputHint,
                SuggestedActions = suggestedActions,
                Name = name,
                Value = value,
                Attachments = attachments,
                RelatesTo = relatesTo,
            };
        }

        var newRecord = new ConversationRecord(
            ch.Key, ch.ConversationId, ch.ChannelId, bot.ScenarioId, bot.Version, record?.UserId ?? ch.User.Id,
            state, (record?.Version ?? 0) + 1, seq, isStarted, withAgent, record?.CreatedUtc ?? now, now);
        if (record is not null && appended.Count == 0 && input is null && isStarted == record.Started)
            return new TurnOutcome(incoming, [], record, Created: false);

        try
        {
            var turn = result is null ? null : new TurnLogEntry(ch.Key, newRecord.Version, now, bot.ScenarioId, bot.Version, Summarize(input!, result, replies).ToUtf8Json());
            await store.SaveAsync(new TurnWrite(newRecord, record?.Version ?? 0, appended) { Turn = turn }, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            _recent.Forget(ch.Key);
            throw;
        }
        // The log is held for the transcript of a handoff still to come: a read one (when shorter than the read's limit, it
        // is the whole log) or the held one, with this turn's activities. Not once the conversation has been handed over
        // (it is an agent's now, or the handoff was just sent): holding it longer only kept it past collections.
        var handoffSent = result is not null && result.Outputs.Any(static o => o is BotHandoffOutput);
        _recent.Set(newRecord, log is null || withAgent || handoffSent ? null : [.. log, .. appended]);
        feed.Publish(ch.Key, seq);
        if (result is not null)
            metrics.RecordTurn(bot.ScenarioId, Stopwatch.GetElapsedTime(started), result.Info.Fallback, handoffSent);
        var outcome = new TurnOutcome(incoming, replies.DrainToImmutable(), newRecord, Created: record is null) { ReplyJson = replyJson.DrainToImmutable(), Tickets = tickets?.ToImmutable() ?? [], UnattendedHandoffs = unattendedHandoffs?.ToImmutable() ?? [] };
        if (observer is not null)
        {
            // After the save: the turn is durable whatever the observer does. The hub rebuilds a missed handoff
            // from the logged handoff.initiate event when it starts (HubStartup), so a failure here loses nothing.
            try
            {
                await observer.OnTurnAsync(new TurnObservation(ch, record, newRecord, request.Input, outcome), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                logger.LogError(e, "The handoff hub failed to take the turn of conversation {Key}.", ch.Key);
            }
        }
        return outcome;

        void Append(Activity a)
        {
            appended.Add(new StoredActivity(seq, a.Type ?? "", BotFrameworkJson.SerializeToUtf8Bytes(a)));
        }
    }

    /// <summary>The turn log's record of a turn: the engine's part (if the bot gives one), the input and the texts sent.</summary>
    static TurnSummary Summarize(BotInput input, BotTurnResult result, ImmutableArray<Activity>.Builder replies)
    {
        var summary = result.Info.Summary ?? new TurnSummary { Input = "", Intent = result.Info.Intent, Fallback = result.Info.Fallback };
        // Counted first, then copied into an array of that size (indexed: the builder's enumerator is an object).
        var count = 0;
        for (var i = 0; i < replies.Count; i++)
            if (IsText(replies[i])) count++;
        string[]? texts = count == 0 ? null : new string[count];
        for (int i = 0, at = 0; texts is not null && i < replies.Count; i++)
            if (IsText(replies[i])) texts[at++] = replies[i].Text!;
        // One copy of the engine's summary per turn: the input and the texts sent are set together.
        return input switch
        {
            BotMessageInput m => summary with { Input = "message", Text = m.Text, Replies = texts },
            BotEventInput e => summary with { Input = "event", Name = e.Name, Replies = texts },
            BotConversationStartInput => summary with { Input = "start", Replies = texts },
            BotHandoffStatusInput h => summary with { Input = "handoff", Name = h.State, Detail = h.Reason, Replies = texts },
            BotAgentMessageInput a => summary with { Input = "agent", Text = a.Text, Detail = a.AgentName, Replies = texts },
            _ => summary with { Input = input.GetType().Name, Replies = texts },
        };

        static bool IsText(Activity reply) => reply.Type == ActivityTypes.Message && reply.Text is not null;
    }

    /// <summary>
    /// A turn of <paramref name="key"/> was committed, maybe by another node (a store shared between nodes announces
    /// them): an older cached row is dropped, so this node's next turn reads the store instead of failing its versioned
    /// save and running twice.
    /// </summary>
    public void OnCommitted(string key, long lastSeq)
    {
        if (_recent.Get(key) is { } cached && cached.LastSeq < lastSeq) _recent.Forget(key);
    }

    public Task NotifyTypingAsync(string key, CancellationToken cancellationToken) =>
        observer?.OnCustomerTypingAsync(key, cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Runs a turn the server starts itself (the agent hub returning a conversation to the bot, a timeout): the
    /// channel is rebuilt from the conversation's log, so replies are addressed as the customer's last activity was.
    /// </summary>
    public async Task<TurnOutcome> RunByKeyAsync(string key, BotInput input, CancellationToken cancellationToken)
    {
        var record = await GetAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new ConversationNotFoundException(key);
        var channel = await ChannelOfAsync(record, cancellationToken).ConfigureAwait(false);
        return await RunAsync(new TurnRequest(channel, null, AssignIncomingId: false, input, CreateIfMissing: false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The channel a conversation's replies go to, from the newest activity the customer sent.</summary>
    public async Task<ChannelContext> ChannelOfAsync(ConversationRecord record, CancellationToken cancellationToken)
    {
        var recent = await store.ReadActivitiesAsync(record.Key, Math.Max(0, record.LastSeq - 40), 40, cancellationToken).ConfigureAwait(false);
        Activity? last = null;
        for (var i = recent.Count - 1; i >= 0 && last is null; i--)
        {
            var a = BotFrameworkJson.Deserialize<Activity>(recent[i].Json.Span);
            if (a?.From?.Role is RoleTypes.User || a?.From?.Id == record.UserId && a?.From?.Id is not null) last = a;
        }
        return new ChannelContext(
            record.Key, record.ConversationId, record.ChannelId, last?.ServiceUrl,
            last?.Conversation ?? new ConversationAccount { Id = record.ConversationId },
            last?.From ?? new ChannelAccount { Id = record.UserId ?? "user", Role = RoleTypes.User },
            last?.Recipient ?? new ChannelAccount { Id = record.ScenarioId, Name = record.ScenarioId, Role = RoleTypes.Bot },
            last?.Locale, record.ScenarioId, record.ScenarioVersion);
    }

    public Task<ConversationRecord?> GetAsync(string key, CancellationToken cancellationToken) =>
        _recent.Get(key) is { } cached ? Task.FromResult<ConversationRecord?>(cached) : store.GetAsync(key, cancellationToken);

    public Task<IReadOnlyList<StoredActivity>> ReadActivitiesAsync(string key, long afterSeq, int limit, CancellationToken cancellationToken) =>
        store.ReadActivitiesAsync(key, afterSeq, limit, cancellationToken);

    /// <summary>
    /// <paramref name="held"/>, the activities this node holds with the row <paramref name="record"/> (null when the row
    /// was read from the store); null too when the store may have expired some of them since (the conversation was idle
    /// past the activities' retention).
    /// </summary>
    StoredActivity[]? Unexpired(StoredActivity[]? held, ConversationRecord record, DateTimeOffset now) =>
        _activityRetention > TimeSpan.Zero && now - record.UpdatedUtc >= _activityRetention ? null : held;

    /// <summary>The conversation's logged activities as the store holds them (at most <see cref="MaxTranscriptActivities"/>).</summary>
    async Task<StoredActivity[]> ReadLogAsync(string key, CancellationToken cancellationToken) =>
        [.. await store.ReadActivitiesAsync(key, 0, MaxTranscriptActivities, cancellationToken).ConfigureAwait(false)];

    /// <summary>§5: the transcript travels with the handoff as <c>{contentType:"application/json", name:"Transcript", content:{activities:[...]}}</c>.</summary>
    static Attachment TranscriptAttachment(StoredActivity[] earlier, List<StoredActivity> thisTurn) =>
        new() { ContentType = "application/json", Name = "Transcript", ContentJsonParts = TranscriptJson(earlier, thisTurn) };

    /// <summary>
    /// <c>{"activities":[...]}</c> as parts: the logged bytes as they are (each is one JSON value the activity writer wrote)
    /// with the brackets and commas between them. Neither parsed nor written again: the activity writer copies them into
    /// the handoff event (<see cref="Attachment.ContentJsonParts"/>), which took ≈ 2 % of a turn's CPU on the request threads
    /// (docs/performance.md, "Session 8"); nor joined into an array of their own, a copy of the whole transcript on every
    /// handoff ("Session 9").
    /// </summary>
    static ReadOnlyMemory<byte>[] TranscriptJson(StoredActivity[] earlier, List<StoredActivity> thisTurn)
    {
        var count = 0;
        foreach (var a in earlier) if (InTranscript(a)) count++;
        foreach (var a in thisTurn) if (InTranscript(a)) count++;
        // The start, each activity with a comma before all but the first, the end.
        var parts = new ReadOnlyMemory<byte>[2 + Math.Max(0, 2 * count - 1)];
        parts[0] = TranscriptStart;
        var at = 1;
        foreach (var a in earlier) Add(a);
        foreach (var a in thisTurn) Add(a);
        parts[at] = TranscriptEnd;
        return parts;

        void Add(StoredActivity a)
        {
            if (!InTranscript(a)) return;
            if (at > 1) parts[at++] = Comma;
            parts[at++] = a.Json;
        }
    }

    static readonly ReadOnlyMemory<byte> TranscriptStart = "{\"activities\":["u8.ToArray();
    static readonly ReadOnlyMemory<byte> TranscriptEnd = "]}"u8.ToArray();
    static readonly ReadOnlyMemory<byte> Comma = ","u8.ToArray();

    static bool InTranscript(StoredActivity a) => a.Type is ActivityTypes.Message or ActivityTypes.Event;

    // Direct Line documents ids like "abc123|0000"; the sequence number makes them unique within the conversation.
    static string ActivityId(string conversationId, long seq) => conversationId + "|" + seq.ToString("D7", CultureInfo.InvariantCulture);

    string DescribeMissing(string? id, string? version)
    {
        var known = string.Join(", ", catalog.List().Select(s => $"{s.Id} ({string.Join(", ", s.Versions)})"));
        if (string.IsNullOrEmpty(id)) return known.Length == 0 ? "No scenario is loaded." : $"No default scenario; choose one of: {known}.";
        return version is null
            ? $"Scenario '{id}' is not loaded. Loaded: {(known.Length == 0 ? "none" : known)}."
            : $"Scenario '{id}' version {version} is not loaded. Loaded: {(known.Length == 0 ? "none" : known)}.";
    }
}
