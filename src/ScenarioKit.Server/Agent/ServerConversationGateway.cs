using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScenarioKit.BotFramework.Connector;
using ScenarioKit.BotFramework.Schema;
using ScenarioKit.Engine;
using ScenarioKit.Model;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Conversations;
using ScenarioKit.Storage;
using Activity = ScenarioKit.BotFramework.Schema.Activity;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// The hub's way into conversations. Agent lines are logged as turns of the conversation (<see cref="ConversationService.RunAsync"/>)
/// under the conversation's lock and only while the engine state says a human has the conversation: the engine's
/// <c>WithAgent</c> is the one owner flag (issue 9: one writer at a time, not a UI flag). Direct Line clients read
/// them from the log; a Bot Connector channel also gets them posted to its serviceUrl.
/// </summary>
internal sealed class ServerConversationGateway(
    ConversationService conversations,
    IConversationStore store,
    ScenarioCatalog catalog,
    ConnectorClient connector,
    TimeProvider time,
    ILogger<ServerConversationGateway> logger) : IConversationGateway
{
    public const string AgentIdPrefix = "agent:";

    public Task SendToCustomerAsync(HandoffEntry entry, AgentAccount agent, string text, CancellationToken cancellationToken) =>
        // Through the engine: it keeps the agent's line in its transcript and never answers it.
        SendAsAgentAsync(entry, agent, ActivityTypes.Message, text, new BotAgentMessageInput(text, agent.DisplayName),
            "The conversation is back with the bot; your message was not sent.", cancellationToken);

    public Task SendTypingAsync(HandoffEntry entry, AgentAccount agent, CancellationToken cancellationToken) =>
        // Logged for the customer's stream only: no input, so the engine does not run.
        SendAsAgentAsync(entry, agent, ActivityTypes.Typing, null, null, "The conversation is back with the bot.", cancellationToken);

    /// <summary>
    /// Logs an activity from the agent as a turn of the conversation (its lock, its versioned save), refused unless the
    /// engine state says a human has the conversation, then posts it to a Bot Connector channel.
    /// </summary>
    async Task SendAsAgentAsync(HandoffEntry entry, AgentAccount agent, string type, string? text, BotInput? input, string refused, CancellationToken cancellationToken)
    {
        var record = await conversations.GetAsync(entry.ConversationKey, cancellationToken).ConfigureAwait(false)
            ?? throw new HubException(HubException.NotFound, "The conversation no longer exists.");
        var channel = await conversations.ChannelOfAsync(record, cancellationToken).ConfigureAwait(false);
        var activity = AgentActivity(channel, agent, type);
        if (text is not null) activity = activity with { Text = text, TextFormat = "plain" };
        TurnOutcome outcome;
        try
        {
            outcome = await conversations.RunAsync(
                new TurnRequest(channel, activity, AssignIncomingId: true, input, CreateIfMissing: false, RequireHuman: true),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConversationNotWithHumanException)
        {
            throw new HubException(HubException.Conflict, refused);
        }
        await DeliverAsync(channel, outcome.Incoming!, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReturnToBotAsync(HandoffEntry entry, string state, string? reason, string? flow, JsonObject? variables, string? message, CancellationToken cancellationToken)
    {
        JsonElement? text = message is null ? null : JsonSerializer.SerializeToElement(message);
        var input = new BotHandoffStatusInput(state, text) { Reason = reason, Flow = flow, Variables = variables?.ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone()), FromHub = true };
        var outcome = await conversations.RunByKeyAsync(entry.ConversationKey, input, cancellationToken).ConfigureAwait(false);
        var record = outcome.Record;
        var channel = await conversations.ChannelOfAsync(record, cancellationToken).ConfigureAwait(false);
        foreach (var reply in outcome.Replies) await DeliverAsync(channel, reply, cancellationToken).ConfigureAwait(false);
    }

    public async Task JoinAsync(string conversationKey, AgentAccount agent, CancellationToken cancellationToken)
    {
        var input = new BotHandoffStatusInput(HandoffStatusInput.Accepted, null) { FromHub = true };
        var outcome = await conversations.RunByKeyAsync(conversationKey, input, cancellationToken).ConfigureAwait(false);
        if (!outcome.Record.WithAgent) throw new HubException(HubException.Conflict, "The conversation could not be taken from the bot.");
    }

    public Task<IReadOnlyList<string>> ValidateHandbackAsync(HandoffEntry entry, string? flow, JsonObject? variables, CancellationToken cancellationToken)
    {
        if (Runtime(entry.ScenarioId, entry.ScenarioVersion) is not { } runtime)
            return Task.FromResult<IReadOnlyList<string>>([$"Scenario {entry.ScenarioId} {entry.ScenarioVersion} is not loaded."]);
        var errors = runtime.CheckHandback(flow, variables?.ToDictionary(kv => kv.Key, kv => kv.Value));
        var japanese = entry.Locale?.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ?? runtime.Manifest.Locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase);
        return Task.FromResult<IReadOnlyList<string>>([.. errors.Select(e => japanese ? e.Japanese : e.English)]);
    }

    public async Task<IReadOnlyList<TranscriptLine>> ReadTranscriptAsync(string conversationKey, CancellationToken cancellationToken)
    {
        var lines = new List<TranscriptLine>();
        long after = 0;
        while (true)
        {
            var page = await conversations.ReadActivitiesAsync(conversationKey, after, 500, cancellationToken).ConfigureAwait(false);
            foreach (var stored in page)
            {
                if (stored.Type != ActivityTypes.Message) continue;
                var a = BotFrameworkJson.Deserialize<Activity>(stored.Json.Span);
                if (a is not null && ToLine(stored.Seq, a) is { } line) lines.Add(line);
            }
            if (page.Count < 500) break;
            after = page[^1].Seq;
        }
        return lines;
    }

    /// <summary>A logged message as a console line; null for activities that are not text.</summary>
    public static TranscriptLine? ToLine(long seq, Activity a)
    {
        var text = a.Text;
        if (string.IsNullOrEmpty(text) && a.Value is { ValueKind: JsonValueKind.String } v) text = v.GetString();
        if (string.IsNullOrEmpty(text)) return null;
        var role = a.From?.Id?.StartsWith(AgentIdPrefix, StringComparison.Ordinal) == true ? TranscriptLine.Agent
            : a.From?.Role == RoleTypes.Bot ? TranscriptLine.Bot : TranscriptLine.Customer;
        return new TranscriptLine(seq, role, a.From?.Name, text, a.Timestamp ?? DateTimeOffset.UnixEpoch);
    }

    // The hub asks for queue settings and names on every assignment pass and view rebuild: derived once per loaded
    // package (settings) and per catalog change (names), not per call.
    readonly ConditionalWeakTable<ScenarioRuntime, IReadOnlyDictionary<string, QueueSettings>> _settings = new();
    QueueNames? _queueNames;

    sealed record QueueNames(object Snapshot, IReadOnlyList<string> Names);

    public QueueSettings GetQueueSettings(string scenarioId, string scenarioVersion, string queue)
    {
        var runtime = Runtime(scenarioId, scenarioVersion) ?? Runtime(scenarioId, null);
        if (runtime is null) return QueueSettings.Default;
        var settings = _settings.GetValue(runtime, static r => r.Model.Handoff.Queues.ToDictionary(
            q => q.Name,
            q => new QueueSettings(q.MaxWait, q.Assignment != QueueAssignment.Pick, [.. q.Canned.Select(c => new ScenarioKit.Hub.CannedResponse(c.Title, c.Text))]),
            StringComparer.Ordinal));
        return settings.GetValueOrDefault(queue, QueueSettings.Default);
    }

    public IReadOnlyList<string> ListQueues()
    {
        var snapshot = catalog.Snapshot;
        if (_queueNames is { } cached && ReferenceEquals(cached.Snapshot, snapshot)) return cached.Names;
        IReadOnlyList<string> names = [.. catalog.List().SelectMany(s => s.Versions.Select(v => Runtime(s.Id, v))).OfType<ScenarioRuntime>()
            .SelectMany(r => r.Model.Handoff.Queues.Select(q => q.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _queueNames = new QueueNames(snapshot, names);
        return names;
    }

    public HandbackChoices GetHandbackChoices(HandoffEntry entry)
    {
        if (Runtime(entry.ScenarioId, entry.ScenarioVersion) is not { } runtime) return new HandbackChoices([], []);
        return new HandbackChoices(
            [.. runtime.Model.Flows.Select(f => f.Name)],
            [.. runtime.Model.Variables.Select(v => new HandbackVariable(v.Name, v.Type.ToString().ToLowerInvariant(), [.. v.Enum.Select(e => e.ToString())]))]);
    }

    public async Task<IReadOnlyList<LiveConversation>> ListLiveConversationsAsync(TimeSpan activeWithin, CancellationToken cancellationToken)
    {
        var records = await store.ListActiveAsync(time.GetUtcNow() - activeWithin, withAgentOnly: false, 1000, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => new LiveConversation(r.Key, r.ScenarioId, StageOf(r), r.WithAgent, r.UpdatedUtc, null))];
    }

    public async Task<HandoffRequest?> DescribeForJoinAsync(string conversationKey, CancellationToken cancellationToken)
    {
        var record = await conversations.GetAsync(conversationKey, cancellationToken).ConfigureAwait(false);
        if (record is null) return null;
        var channel = await conversations.ChannelOfAsync(record, cancellationToken).ConfigureAwait(false);
        var state = ConversationState.Deserialize(record.State.Span);
        var context = new JsonObject
        {
            ["stage"] = state.Stage,
            ["joined"] = true,
            ["variables"] = JsonSerializer.SerializeToNode(state.Variables),
            ["transcript"] = new JsonArray([.. state.Transcript.Select(t => (JsonNode)new JsonObject { ["role"] = t.Role, ["text"] = t.Text })]),
        };
        var queue = Runtime(record.ScenarioId, record.ScenarioVersion)?.Model.Handoff.Queues.FirstOrDefault()?.Name ?? "default";
        return new HandoffRequest(record.Key, record.ConversationId, record.ChannelId, record.ScenarioId, record.ScenarioVersion, record.UserId,
            queue, "joined", null, "joined by a supervisor", 0, channel.User.Name, channel.Locale, JsonSerializer.SerializeToElement(context));
    }

    string? StageOf(ConversationRecord record)
    {
        try
        {
            return ConversationState.Deserialize(record.State.Span).Stage;
        }
        catch (JsonException)
        {
            return null; // a bot other than the engine (protocol tests) keeps its own state shape
        }
    }

    ScenarioRuntime? Runtime(string scenarioId, string? version) =>
        (version is null ? catalog.Resolve(scenarioId, null) : catalog.Find(scenarioId, version)) is EngineScenarioBot bot ? bot.Runtime : null;

    static Activity AgentActivity(ChannelContext ch, AgentAccount agent, string type) => new()
    {
        Type = type,
        ChannelId = ch.ChannelId,
        ServiceUrl = ch.ServiceUrl,
        // The customer sees who answers: Web Chat shows from.name (issue 9). The id is stable per agent.
        From = new ChannelAccount { Id = AgentIdPrefix + agent.Login, Name = agent.DisplayName, Role = RoleTypes.Bot },
        Recipient = ch.User with { Role = RoleTypes.User },
        Conversation = ch.Conversation,
        Locale = ch.Locale,
    };

    async Task DeliverAsync(ChannelContext channel, Activity activity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(channel.ServiceUrl)) return; // Direct Line: the log is the delivery
        try
        {
            await connector.SendAsync(channel.ServiceUrl, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or TaskCanceledException)
        {
            // Logged and kept in the transcript; the channel may fetch it again. The agent is told it was not delivered.
            logger.LogWarning(e, "An agent message for {Conversation} could not be posted to the channel.", channel.ConversationId);
            throw new HubException(HubException.Conflict, "The message was saved but the customer's channel did not accept it.");
        }
    }
}
