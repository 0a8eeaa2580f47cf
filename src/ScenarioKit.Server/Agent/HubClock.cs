using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScenarioKit.BotFramework.Schema;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Server.Conversations;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// Starts the hub before the server listens (open entries reloaded from the store), repairs what a crash between a
/// turn's save and its enqueue could have left (a conversation with a human but no open entry gets one from its
/// logged <c>handoff.initiate</c>), then runs the hub's timers every <see cref="HubOptions.TickInterval"/>. With several
/// nodes (<paramref name="node"/>) it does so on the node that leads, from the moment it takes the lead until it loses it.
/// </summary>
internal sealed class HubClock(HubService hub, HubOptions options, IConversationStore store, ConversationService conversations, TimeProvider time, ILogger<HubClock> logger, HubNode? node = null)
    : IHostedService, IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (node is not null)
        {
            _loop = Task.Run(() => node.RunAsync(LeadAsync, _stop.Token), CancellationToken.None);
            return;
        }
        await hub.StartAsync(cancellationToken).ConfigureAwait(false);
        await RepairAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>The leader's part (the hub was started by <see cref="HubNode"/>): repair, then the timers until the lead is lost.</summary>
    async Task LeadAsync(CancellationToken lost)
    {
        await RepairAsync(lost).ConfigureAwait(false);
        await LoopAsync(lost).ConfigureAwait(false);
    }

    async Task RepairAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A repair pass, not a precondition: the server still serves (and /readyz reports the store) if it fails.
            logger.LogError(e, "The agent hub could not check the conversations store for handoffs to re-queue.");
        }
    }

    async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var withAgent = await store.ListActiveAsync(DateTimeOffset.UnixEpoch, withAgentOnly: true, 100_000, cancellationToken).ConfigureAwait(false);
        foreach (var record in withAgent)
        {
            if (hub.FindOpen(record.Key) is not null) continue;
            var log = await store.ReadActivitiesAsync(record.Key, Math.Max(0, record.LastSeq - 200), 200, cancellationToken).ConfigureAwait(false);
            for (var i = log.Count - 1; i >= 0; i--)
            {
                if (log[i].Type != ActivityTypes.Event) continue;
                var activity = BotFrameworkJson.Deserialize<Activity>(log[i].Json.Span);
                if (activity?.Name != "handoff.initiate" || activity.Value is not { } value) continue;
                var channel = await conversations.ChannelOfAsync(record, cancellationToken).ConfigureAwait(false);
                // Agents' joins have no handoff.initiate: those conversations stay with a human until someone returns them.
                await hub.EnqueueAsync(HandoffRequests.From(channel, record, value, channel.User.Name, channel.Locale), cancellationToken).ConfigureAwait(false);
                if (logger.IsEnabled(LogLevel.Information))
                    logger.LogInformation("Hub: re-queued conversation {Conversation} from its logged handoff (the server stopped before queueing it).", record.ConversationId);
                break;
            }
        }
    }

    async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.TickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await hub.TickAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "The agent hub's timers failed; retrying at the next tick.");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
