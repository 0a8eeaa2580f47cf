using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScenarioKit.BotFramework.Schema;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Conversations;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// Feeds saved turns to the hub: a <c>handoff.initiate</c> becomes a queue entry; customer and bot lines of a
/// handed-off conversation go live to the console; a customer who leaves abandons their entry. Work is queued
/// and done in order by one background reader, so a turn the hub itself runs (holding the hub's gate) never
/// waits on the hub, and console events keep the conversation's order.
/// </summary>
internal sealed class HubConversationObserver(IServiceProvider services, ILogger<HubConversationObserver> logger) : BackgroundService, IConversationObserver
{
    // Resolved on first use: the hub needs the conversation service (through its gateway), which needs this observer.
    IHubOperations? _hub;
    IHubOperations hub => _hub ??= services.GetRequiredService<IHubOperations>();
    HubService? _tickets;
    HubService tickets => _tickets ??= services.GetRequiredService<HubService>();

    /// <summary>With several nodes, how long a turn's hub work is retried while the hub changes leader (a new leader takes a few seconds).</summary>
    static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);

    // Lanes by conversation: one conversation's events stay in order, while a burst of handoffs from many customers
    // is fed to the hub in parallel instead of each waiting for the previous one's durable write.
    const int Lanes = 16;
    readonly Channel<Func<CancellationToken, Task>>[] _lanes = [.. Enumerable.Range(0, Lanes).Select(_ => Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true }))];

    public Task OnTurnAsync(TurnObservation turn, CancellationToken cancellationToken)
    {
        var outcome = turn.Outcome;
        var key = turn.Channel.Key;
        foreach (var reply in outcome.Replies)
        {
            if (reply.Type == ActivityTypes.Event && reply.Name == "handoff.initiate" && reply.Value is { } value)
            {
                var request = HandoffRequests.From(turn, value);
                Post(key, ct => hub.EnqueueAsync(request, ct));
            }
        }
        foreach (var value in outcome.UnattendedHandoffs)
        {
            var request = HandoffRequests.From(turn, value) with { Unattended = true };
            Post(key, ct => hub.EnqueueAsync(request, ct));
        }
        foreach (var ticket in outcome.Tickets)
        {
            var record = Tickets.From(turn, ticket);
            Post(key, ct => tickets.RecordTicketAsync(record, ct));
        }
        var withHuman = turn.After.WithAgent || turn.Before?.WithAgent == true;
        if (withHuman)
        {
            if (outcome.Incoming is { Type: ActivityTypes.Message } incoming && ServerConversationGateway.ToLine(SeqOf(incoming), incoming) is { } line)
                Post(key, ct => hub.OnLineAsync(key, line, ct));
            foreach (var reply in outcome.Replies)
            {
                if (reply.Type == ActivityTypes.Message && ServerConversationGateway.ToLine(SeqOf(reply), reply) is { } botLine)
                    Post(key, ct => hub.OnLineAsync(key, botLine, ct));
            }
        }
        if (outcome.Incoming is { Type: ActivityTypes.EndOfConversation })
            Post(key, ct => hub.OnCustomerLeftAsync(key, ct));
        else if (turn.Before?.WithAgent == true && !turn.After.WithAgent && turn.Input is not BotHandoffStatusInput { FromHub: true })
            Post(key, ct => hub.OnReturnedElsewhereAsync(key, ct));
        return Task.CompletedTask;
    }

    public Task OnCustomerTypingAsync(string conversationKey, CancellationToken cancellationToken)
    {
        // In the conversation's lane: with several nodes it is a call to the leader, which the typing request must not wait for.
        Post(conversationKey, _ => hub.OnCustomerTypingAsync(conversationKey));
        return Task.CompletedTask;
    }

    void Post(string key, Func<CancellationToken, Task> work) =>
        _lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % Lanes)].Writer.TryWrite(work);

    static long SeqOf(Activity a) =>
        a.Id is { } id && id.LastIndexOf('|') is var bar and >= 0 && long.TryParse(id.AsSpan(bar + 1), out var seq) ? seq : 0;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_lanes.Select(lane => Task.Run(() => RunLaneAsync(lane.Reader, stoppingToken), CancellationToken.None)));

    async Task RunLaneAsync(ChannelReader<Func<CancellationToken, Task>> lane, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in lane.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await WithRetryAsync(work, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "The agent hub failed to take a conversation event.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: a lane ends, it does not fail (the host reports a failed service as an error).
        }
    }

    /// <summary>
    /// Runs one event; while the hub is unavailable (several nodes, the leader changing) tries again every second, so a
    /// handoff or a customer line is not lost in a failover. The hub takes each of them idempotently (a second enqueue of
    /// an open conversation keeps its entry).
    /// </summary>
    async Task WithRetryAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await work(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (HubException e) when (e.Code == HubException.Unavailable && System.Diagnostics.Stopwatch.GetElapsedTime(started) < RetryFor)
            {
                logger.LogWarning("The agent hub is unavailable ({Message}); retrying a conversation event.", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Lets tests and the load benchmark wait until the hub work queued so far, in every lane, is done.</summary>
    internal async Task DrainAsync()
    {
        var marks = new List<Task>(Lanes);
        foreach (var lane in _lanes)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lane.Writer.TryWrite(_ => { done.TrySetResult(); return Task.CompletedTask; });
            marks.Add(done.Task);
        }
        await Task.WhenAll(marks).ConfigureAwait(false);
    }
}

/// <summary>Reads the engine's <c>handoff.initiate</c> value (issue 9 context) into a hub request; tolerant of missing keys.</summary>
internal static class HandoffRequests
{
    public static HandoffRequest From(TurnObservation turn, JsonElement value) =>
        From(turn.Channel, turn.After, value, turn.Outcome.Incoming?.From?.Name ?? turn.Channel.User.Name, turn.Channel.Locale ?? turn.Outcome.Incoming?.Locale);

    public static HandoffRequest From(ChannelContext ch, Storage.ConversationRecord record, JsonElement value, string? customerName, string? locale)
    {
        var queue = Str(value, "queue") ?? "default";
        var rule = Str(value, "rule") ?? "handoff";
        var unattended = Bool(value, "unattended") || Str(value, "outcome") == "noAgents";
        return new HandoffRequest(
            ch.Key, ch.ConversationId, ch.ChannelId, record.ScenarioId, record.ScenarioVersion, record.UserId ?? ch.User.Id,
            queue, rule, Location(value), Str(value, "reason") ?? rule, Int(value, "priority"),
            customerName, locale, value.Clone(), unattended);
    }

    /// <summary><c>ruleSpan</c> as <c>file:line:column</c>; the engine gives an object or a string.</summary>
    public static string? Location(JsonElement value)
    {
        if (!value.TryGetProperty("ruleSpan", out var span)) return Str(value, "ruleLocation");
        if (span.ValueKind == JsonValueKind.String) return span.GetString();
        if (span.ValueKind != JsonValueKind.Object) return null;
        var file = Str(span, "file");
        var line = Int(span, "line");
        var column = Int(span, "column");
        return file is null ? null : column > 0 ? $"{file}:{line}:{column}" : $"{file}:{line}";
    }

    public static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : 0;

    public static double? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}

/// <summary>Reads the engine's ticket JSON (<c>Ticket.ToJson()</c>) into a hub ticket.</summary>
internal static class Tickets
{
    public static Hub.Tickets.Ticket From(TurnObservation turn, JsonElement value) => new(
        HandoffRequests.Str(value, "number") ?? "TK-" + turn.After.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        turn.Channel.Key, turn.After.ScenarioId, HandoffRequests.Str(value, "kind") ?? "other",
        HandoffRequests.Str(value, "contact"), HandoffRequests.Str(value, "time"), HandoffRequests.Str(value, "note"), HandoffRequests.Str(value, "queue"),
        value.Clone(), turn.After.UpdatedUtc, Closed: false, ClosedBy: null, ClosedUtc: null, Resolution: null);
}
