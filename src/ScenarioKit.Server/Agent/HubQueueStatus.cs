using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Engine;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Cluster;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// Answers the engine's "where is this customer in the queue?" from the hub's in-memory view (no store read, so a
/// turn pays microseconds for it; on a node that does not lead the hub, one round trip to the leader). The hub is
/// resolved on first use: it depends on the conversation service.
/// </summary>
internal sealed class HubQueueStatus(IServiceProvider services) : IHandoffQueue
{
    IHubOperations? _hub;

    public async ValueTask<QueueStatus?> GetStatusAsync(string conversationId, string queue, CancellationToken cancellationToken)
    {
        _hub ??= services.GetRequiredService<IHubOperations>();
        try
        {
            var p = await _hub.GetPositionAsync(conversationId, queue, cancellationToken).ConfigureAwait(false);
            return new QueueStatus(p.Position, p.EstimatedWait, p.AgentsOnline, p.Assigned);
        }
        catch (HubException e) when (e.Code == HubException.Unavailable)
        {
            // The leader is changing: the turn goes on without the position rather than failing.
            return null;
        }
    }
}
