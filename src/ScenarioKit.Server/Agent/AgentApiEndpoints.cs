using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Hub;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Cluster;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;

namespace ScenarioKit.Server.Agent;

/// <summary>
/// The console's REST API under <c>/agent/api</c> (docs/agent-hub.md). Every call needs the agent cookie; every POST
/// also the anti-forgery header. The account is read fresh per request, so a role or queue change applies at once.
/// Hub refusals map to 400/403/404/409 with <c>{ error, message }</c>.
/// </summary>
internal static class AgentApiEndpoints
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/agent/api").RequireAuthorization(policy => policy.AddAuthenticationSchemes(AgentAuth.Scheme).RequireAuthenticatedUser());
        api.AddEndpointFilter(GuardAsync);

        api.MapGet("/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
            Results.Json(new { token = antiforgery.GetAndStoreTokens(context).RequestToken, headerName = AgentAuth.CsrfHeader }, AgentJson.Options));
        api.MapGet("/me", async (HttpContext context, IHubOperations hub) => Results.Json(await MeAsync(Agent(context), hub, context.RequestAborted), AgentJson.Options));
        api.MapGet("/snapshot", SnapshotAsync);
        api.MapGet("/entries/{id}", DetailAsync);
        api.MapGet("/live", async (HttpContext context, IConversationGateway gateway) =>
        {
            RequireSupervisor(Agent(context));
            var live = await gateway.ListLiveConversationsAsync(TimeSpan.FromMinutes(30), context.RequestAborted);
            return Results.Json(live, AgentJson.Options);
        });
        api.MapGet("/tickets", async (HttpContext context, HubService hub, bool? all) =>
            Results.Json((await hub.ListTicketsAsync(Agent(context), all == true, context.RequestAborted)).Select(AgentJson.Ticket), AgentJson.Options));
        api.MapPost("/tickets/{number}/close", async (HttpContext context, HubService hub, string number) =>
        {
            var body = await BodyAsync(context);
            return Results.Json(AgentJson.Ticket(await hub.CloseTicketAsync(Agent(context), number, Str(body, "resolution"), context.RequestAborted)), AgentJson.Options);
        });
        api.MapGet("/audit", async (HttpContext context, IHubStore store, string? actor, string? conversation, int? limit) =>
        {
            if (Agent(context).Role != AgentRole.Admin) throw new HubException(HubException.Forbidden, "Only admins can read the audit log.");
            var records = await store.ReadAuditAsync(new AuditQuery(actor, conversation, null, limit ?? 200), context.RequestAborted);
            return Results.Json(records.Select(AgentJson.Audit), AgentJson.Options);
        });
        api.MapPost("/status", async (HttpContext context, IHubOperations hub) =>
        {
            var body = await BodyAsync(context);
            var status = Str(body, "status") switch
            {
                "online" => AgentStatus.Online,
                "away" => AgentStatus.Away,
                "offline" => AgentStatus.Offline,
                _ => throw new HubException(HubException.Invalid, "status must be online, away or offline."),
            };
            await hub.SetStatusAsync(Agent(context), status, context.RequestAborted);
            return Results.Json(await MeAsync(Agent(context), hub, context.RequestAborted), AgentJson.Options);
        });
        api.MapPost("/entries/{id}/accept", async (HttpContext context, IHubOperations hub, string id) =>
            await SummaryAsync(context, hub, await hub.AcceptAsync(Agent(context), id, context.RequestAborted)));
        api.MapPost("/entries/{id}/messages", async (HttpContext context, IHubOperations hub, string id) =>
        {
            var body = await BodyAsync(context);
            await hub.SendAsync(Agent(context), id, Str(body, "text") ?? "", context.RequestAborted);
            return Results.NoContent();
        });
        api.MapPost("/entries/{id}/typing", async (HttpContext context, IHubOperations hub, string id) =>
        {
            await hub.TypingAsync(Agent(context), id, context.RequestAborted);
            return Results.NoContent();
        });
        api.MapPost("/entries/{id}/notes", async (HttpContext context, IHubOperations hub, string id) =>
        {
            var body = await BodyAsync(context);
            var note = await hub.AddNoteAsync(Agent(context), id, Str(body, "text") ?? "", body?["whisper"]?.GetValueKind() == JsonValueKind.True, context.RequestAborted);
            return Results.Json(AgentJson.Note(note), AgentJson.Options);
        });
        api.MapPost("/entries/{id}/transfer", async (HttpContext context, IHubOperations hub, string id) =>
        {
            var body = await BodyAsync(context);
            return await SummaryAsync(context, hub, await hub.TransferAsync(Agent(context), id, Str(body, "queue"), Str(body, "agent"), Str(body, "note"), context.RequestAborted));
        });
        api.MapPost("/entries/{id}/return", async (HttpContext context, IHubOperations hub, string id) =>
        {
            var body = await BodyAsync(context);
            var variables = body?["variables"] switch
            {
                null => null,
                JsonObject o => o.DeepClone().AsObject(),
                _ => throw new HubException(HubException.Invalid, "variables must be an object of name → value."),
            };
            return await SummaryAsync(context, hub, await hub.ReturnToBotAsync(Agent(context), id, Str(body, "flow"), variables, Str(body, "message"), resolved: false, context.RequestAborted));
        });
        api.MapPost("/entries/{id}/resolve", async (HttpContext context, IHubOperations hub, string id) =>
        {
            var body = await BodyAsync(context);
            return await SummaryAsync(context, hub, await hub.ReturnToBotAsync(Agent(context), id, null, null, Str(body, "message"), resolved: true, context.RequestAborted));
        });
        api.MapPost("/entries/{id}/monitor", async (HttpContext context, IHubOperations live, HubService hub, IConversationGateway gateway, string id) =>
        {
            var entry = await live.MonitorAsync(Agent(context), id, context.RequestAborted);
            return Results.Json(await DetailJsonAsync(live, hub, gateway, Agent(context), entry, context.RequestAborted), AgentJson.Options);
        });
        api.MapPost("/entries/{id}/takeover", async (HttpContext context, IHubOperations hub, string id) =>
            await SummaryAsync(context, hub, await hub.TakeOverAsync(Agent(context), id, context.RequestAborted)));
        api.MapPost("/conversations/{key}/join", async (HttpContext context, IHubOperations hub, string key) =>
            await SummaryAsync(context, hub, await hub.JoinAsync(Agent(context), key, context.RequestAborted)));
    }

    /// <summary>
    /// Runs before every API call: loads the signed-in account (disabled → 403), checks anti-forgery on POST, records
    /// activity for presence, and turns hub refusals into status codes without exception text.
    /// </summary>
    static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        try
        {
            var hub = context.RequestServices.GetRequiredService<IHubOperations>();
            var login = AgentAuth.Login(context.User) ?? throw new HubException("unauthorized", "Sign in as an agent first.");
            var account = await hub.RefreshAccountAsync(login, context.RequestAborted);
            context.Items[typeof(AgentAccount)] = account;
            if (HttpMethods.IsPost(context.Request.Method))
            {
                var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(context))
                    return Error(StatusCodes.Status400BadRequest, "invalid", $"Missing or invalid anti-forgery token (header {AgentAuth.CsrfHeader}).");
                hub.Touch(login);
            }
            return await next(invocation);
        }
        catch (HubException e)
        {
            var status = e.Code switch
            {
                HubException.NotFound => StatusCodes.Status404NotFound,
                HubException.Forbidden => StatusCodes.Status403Forbidden,
                HubException.Conflict => StatusCodes.Status409Conflict,
                HubException.Unavailable => StatusCodes.Status503ServiceUnavailable,
                HubException.Failed => StatusCodes.Status500InternalServerError,
                "unauthorized" => StatusCodes.Status401Unauthorized,
                _ => StatusCodes.Status400BadRequest,
            };
            return Error(status, e.Code, e.Message);
        }
        catch (AgentAccountException e)
        {
            return Error(StatusCodes.Status400BadRequest, HubException.Invalid, e.Message);
        }
    }

    static IResult Error(int status, string code, string message) => Results.Json(new { error = code, message }, AgentJson.Options, statusCode: status);

    static AgentAccount Agent(HttpContext context) => (AgentAccount)context.Items[typeof(AgentAccount)]!;

    static void RequireSupervisor(AgentAccount agent)
    {
        if (!agent.IsSupervisor) throw new HubException(HubException.Forbidden, "Only supervisors and admins can see this.");
    }

    static async Task<object> MeAsync(AgentAccount a, IHubOperations hub, CancellationToken cancellationToken) =>
        Me(a, await hub.GetViewAsync(a, cancellationToken).ConfigureAwait(false));

    static object Me(AgentAccount a, HubView view) => new
    {
        login = a.Login,
        displayName = a.DisplayName,
        role = a.Role.ToString().ToLowerInvariant(),
        queues = a.Queues,
        maxChats = a.MaxChats,
        status = view.Agents.FirstOrDefault(s => s.Login == a.Login)?.Status ?? "offline",
    };

    /// <summary>The entry as the console lists it; the agent's name needs the hub's view only when it is not the caller.</summary>
    static async Task<IResult> SummaryAsync(HttpContext context, IHubOperations hub, HandoffEntry entry)
    {
        var caller = Agent(context);
        var name = entry.Agent is null || entry.Agent == caller.Login ? (entry.Agent is null ? null : caller.DisplayName)
            : (await hub.GetViewAsync(caller, context.RequestAborted)).DisplayName(entry.Agent);
        return Results.Json(AgentJson.Summary(entry, name), AgentJson.Options);
    }

    static async Task<IResult> SnapshotAsync(HttpContext context, IHubOperations live, HubService hub, IConversationGateway gateway, TimeProvider time)
    {
        var agent = Agent(context);
        var view = await live.GetViewAsync(agent, context.RequestAborted);
        var now = time.GetUtcNow();
        var queues = gateway.ListQueues().Where(agent.Serves).Select(q =>
        {
            var waiting = view.Entries.Where(e => e.Queue == q && e.IsQueued).ToList();
            return new
            {
                name = q,
                waiting = waiting.Count,
                longestWaitSeconds = waiting.Count == 0 ? 0 : (int)(now - waiting.Min(e => e.WaitingSinceUtc)).TotalSeconds,
                online = view.Online.GetValueOrDefault(q),
            };
        }).ToList();
        object[] stages = [];
        if (agent.IsSupervisor)
        {
            var conversations = await gateway.ListLiveConversationsAsync(TimeSpan.FromMinutes(30), context.RequestAborted);
            stages = [.. conversations.GroupBy(l => l.Stage ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (object)new { stage = g.Key, count = g.Count(), withAgent = g.Count(l => l.WithAgent) })];
        }
        var tickets = await hub.ListTicketsAsync(agent, includeClosed: false, context.RequestAborted);
        return Results.Json(new
        {
            me = Me(agent, view),
            entries = view.Entries.Select(e => AgentJson.Summary(e, view.DisplayName(e.Agent))),
            queues,
            agents = agent.IsSupervisor ? view.Agents : [],
            stages,
            openTickets = tickets.Count,
        }, AgentJson.Options);
    }

    static async Task<IResult> DetailAsync(HttpContext context, IHubOperations live, HubService hub, IConversationGateway gateway, string id)
    {
        var agent = Agent(context);
        var entry = await live.GetVisibleAsync(agent, id, context.RequestAborted);
        return Results.Json(await DetailJsonAsync(live, hub, gateway, agent, entry, context.RequestAborted), AgentJson.Options);
    }

    static async Task<object> DetailJsonAsync(IHubOperations live, HubService hub, IConversationGateway gateway, AgentAccount agent, HandoffEntry entry, CancellationToken cancellationToken)
    {
        var transcript = await gateway.ReadTranscriptAsync(entry.ConversationKey, cancellationToken);
        var notes = await hub.Store.ListNotesAsync(entry.Id, cancellationToken);
        var earlier = await hub.EarlierSessionsAsync(entry, cancellationToken);
        var view = await live.GetViewAsync(agent, cancellationToken);
        var settings = hub.Settings(entry);
        var choices = gateway.GetHandbackChoices(entry);
        return new
        {
            entry = AgentJson.Summary(entry, view.DisplayName(entry.Agent)),
            context = entry.Context,
            transcript = transcript.Select(AgentJson.Line),
            // Whispers are for the assigned agent and supervisors only.
            notes = notes.Where(n => !n.Whisper || agent.IsSupervisor || entry.Agent == agent.Login).Select(AgentJson.Note),
            earlierSessions = earlier.Where(e => e.Id != entry.Id).Select(e => AgentJson.Summary(e, view.DisplayName(e.Agent))),
            canned = settings.Canned.Select(c => new { title = c.Title, text = c.Text }),
            transferQueues = gateway.ListQueues(),
            transferAgents = view.Agents.Where(a => a.Login != agent.Login).OrderBy(a => a.Login, StringComparer.Ordinal).Select(a => new { login = a.Login, displayName = a.DisplayName, status = a.Status }),
            handback = new { flows = choices.Flows, variables = choices.Variables.Select(v => new { name = v.Name, type = v.Type, @enum = v.Enum }) },
        };
    }

    static async Task<JsonObject?> BodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0) return null;
        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return node as JsonObject ?? throw new HubException(HubException.Invalid, "The body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new HubException(HubException.Invalid, "The body is not valid JSON.");
        }
    }

    static string? Str(JsonObject? body, string name) =>
        body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : body?[name] is null ? null : throw new HubException(HubException.Invalid, $"'{name}' must be a string.");
}
