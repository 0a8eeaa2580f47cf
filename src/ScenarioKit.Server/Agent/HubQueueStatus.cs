using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Engine;
using ScenarioKit.Hub.Queue;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// Answers the engine's "where is this customer in the queue?" from the hub's in-memory view (no store read, so a
/// turn pays microseconds for it). The hub is resolved on first use: it depends on the conversation service.
/// </summary>
internal sealed class HubQueueStatus(IServiceProvider services) : IHandoffQueue
{
    HubService? _hub;

    public ValueTask<QueueStatus?> GetStatusAsync(string conversationId, string queue, CancellationToken cancellationToken)
    {
        _hub ??= services.GetRequiredService<HubService>();
        var p = _hub.GetPositionByConversationId(conversationId, queue);
        return ValueTask.FromResult<QueueStatus?>(new QueueStatus(p.Position, p.EstimatedWait, p.AgentsOnline, p.Assigned));
    }
}
