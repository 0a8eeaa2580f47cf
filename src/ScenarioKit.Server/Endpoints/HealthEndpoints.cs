using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.Endpoints;

internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        // Liveness: the process answers. Readiness: a scenario is loaded and the store answers.
        app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        app.MapGet("/readyz", async (HttpContext context) =>
        {
            var catalog = context.RequestServices.GetRequiredService<ScenarioCatalog>();
            var store = context.RequestServices.GetRequiredService<IConversationStore>();
            if (catalog.IsEmpty) return Results.Text("no scenario loaded\n", "text/plain; charset=utf-8", statusCode: 503);
            if (!await store.PingAsync(context.RequestAborted)) return Results.Text("conversation store unavailable\n", "text/plain; charset=utf-8", statusCode: 503);
            // Several nodes on PostgreSQL: which node runs the agent hub (docs/deploy.md, "Several nodes"); informative, not a condition.
            var hub = context.RequestServices.GetService<HubNode>() is { } node
                ? node.IsLeader ? $"hub: leader (node {node.NodeId})\n" : $"hub: follower of node {node.Leader ?? "(none yet)"} (node {node.NodeId})\n"
                : "";
            return Results.Text("ready\n" + hub, "text/plain; charset=utf-8");
        });
        app.MapGet("/metrics", (HttpContext context) =>
            Results.Text(context.RequestServices.GetRequiredService<ServerMetrics>().Render(), "text/plain; version=0.0.4; charset=utf-8"));
    }
}
