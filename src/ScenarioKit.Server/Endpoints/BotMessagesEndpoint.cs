using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScenarioKit.BotFramework.Authentication;
using ScenarioKit.BotFramework.Connector;
using ScenarioKit.BotFramework.Schema;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Conversations;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.Server.Endpoints;

/// <summary>
/// What <c>/api/messages</c> and <c>/api/{scenarioId}/messages</c> run: <see cref="BotMessagesEndpoint"/>, or, in the load
/// test's layer ladder (<c>--layers</c>, docs/performance.md), a stand-in that measures the server's pipeline without it.
/// </summary>
internal interface IMessagesEndpoint
{
    Task HandleAsync(HttpContext context, string? routeScenario);
}

/// <summary>
/// <c>POST /api/messages</c> (§2.1): a channel posts an activity; replies go back through the Bot Connector
/// (§2.2) before the 200, or in the body for <c>deliveryMode: expectReplies</c> (§2.3).
/// </summary>
internal sealed class BotMessagesEndpoint(
    ConversationService conversations,
    ScenarioServerOptions options,
    ConnectorClient connector,
    ServerMetrics metrics,
    ILogger<BotMessagesEndpoint> logger,
    BotFrameworkAuthenticator? authenticator = null) : IMessagesEndpoint
{
    public async Task HandleAsync(HttpContext context, string? routeScenario)
    {
        try
        {
            await HandleCoreAsync(context, routeScenario);
        }
        catch (RequestException e)
        {
            metrics.RecordRejectedRequest();
            if (e.Status == StatusCodes.Status405MethodNotAllowed) context.Response.Headers.Allow = "POST";
            await HttpHelpers.WriteErrorAsync(context, e.Status, e.Code, e.Message);
        }
        catch (ScenarioNotFoundException e)
        {
            metrics.RecordRejectedRequest();
            await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status404NotFound, "ScenarioNotFound", e.Message);
        }
        catch (ConnectorException e)
        {
            logger.LogWarning(e, "Replies could not be delivered to the channel.");
            await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status502BadGateway, "ChannelUnreachable",
                $"The turn was saved, but the channel refused the reply (HTTP {e.StatusCode}).");
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning(e, "Replies could not be delivered to the channel.");
            await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status502BadGateway, "ChannelUnreachable",
                "The turn was saved, but the channel's serviceUrl could not be reached.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (TaskCanceledException e)
        {
            logger.LogWarning(e, "The channel did not answer in time.");
            await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status502BadGateway, "ChannelUnreachable",
                "The turn was saved, but the channel's serviceUrl did not answer in time.");
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            // A server fault, not a client mistake: logged with its stack, answered without one.
            logger.LogError(e, "Turn failed on /api/messages.");
            await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalError", "The bot failed to handle the activity; the turn was not saved.");
        }
    }

    async Task HandleCoreAsync(HttpContext context, string? routeScenario)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
            throw new RequestException(StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed", "Only POST is allowed on /api/messages.");

        string? authorization = context.Request.Headers.Authorization;
        if (authenticator is not null)
        {
            if (string.IsNullOrWhiteSpace(authorization))
                throw new RequestException(StatusCodes.Status401Unauthorized, "Unauthorized", "Authorization header is missing; a Bot Framework bearer token is required.");
        }
        else if (!options.AllowRemote && !HttpHelpers.IsLoopback(context))
        {
            // §3 "Auth disabled": without an app id nothing can be verified, so only this machine may talk to the bot.
            throw new RequestException(StatusCodes.Status401Unauthorized, "Unauthorized",
                "Authentication is off (no app id configured), so only loopback callers are accepted. Configure ScenarioKit:AppId, or set ScenarioKit:AllowRemote.");
        }

        var activity = await HttpHelpers.ReadActivityAsync(context, options.MaxRequestBodyBytes);

        if (authenticator is not null)
        {
            var auth = await authenticator.AuthenticateAsync(authorization, activity.ServiceUrl, activity.ChannelId, context.RequestAborted);
            if (!auth.Succeeded)
            {
                // The caller gets the short reason; the exception (metadata host, library frames) only goes to the log.
                if (auth.Detail is not null) logger.LogWarning(auth.Detail, "A channel token was refused: {Reason}", auth.Error);
                throw new RequestException(StatusCodes.Status401Unauthorized, "Unauthorized", auth.Error!);
            }
        }
        if (activity.CallerId is not null) activity = activity with { CallerId = null }; // §1: set by the receiver only after authentication; never trusted from the wire

        var expectReplies = string.Equals(activity.DeliveryMode, DeliveryModes.ExpectReplies, StringComparison.Ordinal);
        // The query collection is parsed (and allocated) on first use: a channel's post usually has no query string.
        var query = context.Request.QueryString.HasValue ? context.Request.Query : null;
        var scenario = routeScenario ?? (string?)query?["scenario"];
        string? version = query?["version"];

        BotInput? input;
        Activity? logged = activity;
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                input = new BotMessageInput(activity.Text ?? "", activity.Id, activity.Value);
                break;
            case ActivityTypes.Event:
                if (string.IsNullOrEmpty(activity.Name))
                    throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "activity.name is required for an event activity.");
                input = activity.Name == "handoff.status" ? HandoffStatus(activity) : new BotEventInput(activity.Name, EventValue(activity.Value), activity.Id);
                break;
            case ActivityTypes.ConversationUpdate:
                // Welcome when someone other than the bot joins (botbuilder's welcome pattern); the update itself is not transcript.
                logged = null;
                input = activity.MembersAdded?.Any(m => m.Id is not null && m.Id != activity.Recipient?.Id) == true ? new BotConversationStartInput() : null;
                if (input is null) { await RespondAsync(context, expectReplies, []); return; }
                break;
            case ActivityTypes.EndOfConversation:
                input = null;
                break;
            case ActivityTypes.Invoke:
                // botbuilder answers 501 when the bot produced no invokeResponse (§2.1); scenarios define no invokes.
                throw new RequestException(StatusCodes.Status501NotImplemented, "NotImplemented", $"Invoke '{activity.Name}' is not supported by this bot.");
            default:
                // typing and types we do not know: ignored (§1).
                await RespondAsync(context, expectReplies, []);
                return;
        }
        if (input is BotHandoffStatusInput { State: "" }) input = null;

        var conversationId = activity.Conversation?.Id;
        if (string.IsNullOrEmpty(conversationId))
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "activity.conversation.id is required.");
        if (!expectReplies && string.IsNullOrEmpty(activity.ServiceUrl))
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "activity.serviceUrl is required to send replies (or set deliveryMode to expectReplies).");
        if (!expectReplies && (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUri) || serviceUri.Scheme is not ("http" or "https")))
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "activity.serviceUrl must be an absolute http(s) URL.");

        var channelId = string.IsNullOrEmpty(activity.ChannelId) ? "unknown" : activity.ChannelId;
        var channel = new ChannelContext(
            // Prefixed so that no channel id (not even "directline") can reach a Direct Line conversation's log.
            Key: "channel/" + channelId + "/" + conversationId,
            ConversationId: conversationId,
            ChannelId: channelId,
            ServiceUrl: activity.ServiceUrl,
            Conversation: activity.Conversation!,
            User: activity.From ?? new ChannelAccount { Id = "user", Role = RoleTypes.User },
            Bot: activity.Recipient,
            Locale: activity.Locale,
            ScenarioId: scenario,
            ScenarioVersion: version);

        var outcome = await conversations.RunAsync(new TurnRequest(channel, logged, AssignIncomingId: false, input), context.RequestAborted);
        if (!expectReplies)
        {
            foreach (var reply in outcome.Replies)
                await connector.SendAsync(activity.ServiceUrl!, reply, context.RequestAborted);
        }
        if (expectReplies) await HttpHelpers.WriteActivitySetAsync(context, outcome.ReplyJson, watermark: null);
        else context.Response.StatusCode = StatusCodes.Status200OK;
    }

    static Task RespondAsync(HttpContext context, bool expectReplies, IReadOnlyList<Activity> replies)
    {
        if (!expectReplies)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }
        return HttpHelpers.WriteJsonAsync(context, StatusCodes.Status200OK, new ActivitySet { Activities = replies });
    }

    internal static BotHandoffStatusInput HandoffStatus(Activity activity)
    {
        // §5: value {state, message?}; bots must not reject it, so a malformed one is just not acted on.
        if (activity.Value is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String)
            return new BotHandoffStatusInput(s.GetString()!, v.TryGetProperty("message", out var m) ? m.Clone() : null);
        return new BotHandoffStatusInput("", null);
    }

    static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    internal static JsonElement EventValue(JsonElement? value) => value is { ValueKind: not JsonValueKind.Undefined } v ? v : EmptyObject;
}
