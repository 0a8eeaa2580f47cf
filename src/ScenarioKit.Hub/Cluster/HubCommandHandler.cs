using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;
using static ScenarioKit.Hub.Cluster.HubWire;

namespace ScenarioKit.Hub.Cluster;

/// <summary>
/// On the leader: runs a command another node forwarded (<see cref="HubClient"/>) on the local <see cref="HubService"/>
/// and turns its result or refusal into the reply. A refusal keeps its <see cref="HubException"/> code; any other
/// failure is logged here and answered as <c>failed</c>, without its text.
/// </summary>
internal sealed class HubCommandHandler(IHubOperations hub, ConsoleRoster roster, ILogger logger)
{
    /// <summary>The one command that is not an <see cref="IHubOperations"/> call: a node's console connections.</summary>
    public const string ConsolesOp = "Consoles";

    public async Task<HubReply> HandleAsync(HubCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return new HubReply(command.Id, await RunAsync(command.Op, command.Args, cancellationToken).ConfigureAwait(false), null, null);
        }
        catch (HubException e)
        {
            return new HubReply(command.Id, null, e.Code, e.Message);
        }
        catch (AgentAccountException e)
        {
            return new HubReply(command.Id, null, HubException.Invalid, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Hub: the command {Op} from node {Node} failed.", command.Op, command.From);
            return new HubReply(command.Id, null, HubException.Failed, "The agent hub failed to handle the request.");
        }
    }

    async Task<JsonElement?> RunAsync(string op, JsonElement[] a, CancellationToken ct)
    {
        switch (op)
        {
            case nameof(IHubOperations.EnqueueAsync): return Element(await hub.EnqueueAsync(Read<HandoffRequest>(a[0]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.OnLineAsync): await hub.OnLineAsync(Read<string>(a[0]), Read<TranscriptLine>(a[1]), ct).ConfigureAwait(false); return null;
            case nameof(IHubOperations.OnCustomerTypingAsync): await hub.OnCustomerTypingAsync(Read<string>(a[0])).ConfigureAwait(false); return null;
            case nameof(IHubOperations.OnCustomerLeftAsync): await hub.OnCustomerLeftAsync(Read<string>(a[0]), ct).ConfigureAwait(false); return null;
            case nameof(IHubOperations.OnReturnedElsewhereAsync): await hub.OnReturnedElsewhereAsync(Read<string>(a[0]), ct).ConfigureAwait(false); return null;
            case nameof(IHubOperations.GetPositionAsync): return Element(await hub.GetPositionAsync(Read<string>(a[0]), Read<string>(a[1]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.RefreshAccountAsync): return Element(await hub.RefreshAccountAsync(Read<string>(a[0]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.Touch): hub.Touch(Read<string>(a[0])); return null;
            case nameof(IHubOperations.SetStatusAsync): await hub.SetStatusAsync(Read<AgentAccount>(a[0]), Read<AgentStatus>(a[1]), ct).ConfigureAwait(false); return null;
            case nameof(IHubOperations.AcceptAsync): return Element(await hub.AcceptAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.SendAsync): await hub.SendAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), Read<string>(a[2]), ct).ConfigureAwait(false); return null;
            case nameof(IHubOperations.TypingAsync): await hub.TypingAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), ct).ConfigureAwait(false); return null;
            case nameof(IHubOperations.AddNoteAsync): return Element(await hub.AddNoteAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), Read<string>(a[2]), Read<bool>(a[3]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.TransferAsync):
                return Element(await hub.TransferAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), Read<string?>(a[2]), Read<string?>(a[3]), Read<string?>(a[4]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.ReturnToBotAsync):
                return Element(await hub.ReturnToBotAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), Read<string?>(a[2]), Read<JsonObject?>(a[3]), Read<string?>(a[4]), Read<bool>(a[5]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.TakeOverAsync): return Element(await hub.TakeOverAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.JoinAsync): return Element(await hub.JoinAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.MonitorAsync): return Element(await hub.MonitorAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.GetVisibleAsync): return Element(await hub.GetVisibleAsync(Read<AgentAccount>(a[0]), Read<string>(a[1]), ct).ConfigureAwait(false));
            case nameof(IHubOperations.GetViewAsync): return Element(await hub.GetViewAsync(Read<AgentAccount>(a[0]), ct).ConfigureAwait(false));
            case ConsolesOp: await roster.ApplyAsync(Read<NodeConsoles>(a[0]), ct).ConfigureAwait(false); return null;
            default: throw new HubException(HubException.Invalid, $"Unknown hub command '{op}' (nodes of different versions?).");
        }
    }
}
