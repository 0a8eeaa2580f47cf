using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ScenarioKit.BotFramework.DirectLine;
using ScenarioKit.BotFramework.Schema;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Conversations;
using ScenarioKit.Server.Endpoints;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Storage;

namespace ScenarioKit.Server.DirectLine;

/// <summary>
/// Direct Line 3.0 (§4): ScenarioKit is the channel, so Web Chat, directlinejs and Botium connect without
/// Azure. A secret opens any conversation; a token only the conversation it was issued for. Client mistakes
/// get 4xx with <c>{"error":{code,message}}</c>, never 500: a 500 on GET activities silently stops
/// directlinejs polling for good (§4.3), a 403 pauses it for a token refresh, a 404 ends it.
/// </summary>
internal sealed class DirectLineEndpoints(
    ConversationService conversations,
    ConversationFeed feed,
    DirectLineTokens tokens,
    ScenarioServerOptions options,
    ServerMetrics metrics,
    ILogger<DirectLineEndpoints> logger)
{
    public const string ChannelId = "directline";
    const int PageSize = 500;

    bool DevMode => string.IsNullOrEmpty(options.DirectLineSecret);

    public RouteGroupBuilder Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v3/directline");
        group.MapPost("/tokens/generate", context => Guard(context, GenerateAsync));
        group.MapPost("/tokens/refresh", context => Guard(context, RefreshAsync));
        group.MapPost("/conversations", context => Guard(context, StartAsync));
        group.MapGet("/conversations/{id}", context => Guard(context, ReconnectAsync));
        group.MapPost("/conversations/{id}/activities", context => Guard(context, PostActivityAsync));
        group.MapGet("/conversations/{id}/activities", context => Guard(context, GetActivitiesAsync));
        group.MapPost("/conversations/{id}/upload", context => Guard(context, UploadAsync));
        group.Map("/conversations/{id}/stream", context => Guard(context, StreamAsync));
        // directlinejs and Botium call this undocumented endpoint; a 404 is harmless (§4.1).
        group.MapGet("/session/getsessionid", context => HttpHelpers.WriteErrorAsync(context, StatusCodes.Status404NotFound, "NotFound", "Sessions are not used by this server."));
        return group;
    }

    /// <summary>Issues a token for the playground page (loopback callers, or anyone in dev mode with AllowRemote).</summary>
    public Task PlaygroundTokenAsync(HttpContext context) => Guard(context, async c =>
    {
        if (!HttpHelpers.IsLoopback(c) && !(DevMode && options.AllowRemote))
            throw new RequestException(StatusCodes.Status403Forbidden, "Forbidden", "The playground issues tokens to loopback callers only.");
        var scenario = ScenarioSelector(c.Request.Query["scenario"], c.Request.Query["version"]);
        var userId = "playground-" + NewId()[..8];
        var id = NewId();
        await Results.Json(new { conversationId = id, token = tokens.Issue(id, userId, scenario), expires_in = ExpiresIn, userId }).ExecuteAsync(c);
    });

    async Task Guard(HttpContext context, Func<HttpContext, Task> handler)
    {
        try
        {
            await handler(context);
        }
        catch (RequestException e)
        {
            metrics.RecordRejectedRequest();
            await HttpHelpers.WriteErrorAsync(context, e.Status, e.Code, e.Message);
        }
        catch (ScenarioNotFoundException e)
        {
            metrics.RecordRejectedRequest();
            await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status404NotFound, "ScenarioNotFound", e.Message);
        }
        catch (ConversationNotFoundException)
        {
            metrics.RecordRejectedRequest();
            await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status404NotFound, "BadArgument", "Conversation not found.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(e, "Direct Line request {Path} failed.", context.Request.Path.Value);
            await HttpHelpers.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalError", "The server failed to handle the request.");
        }
    }

    int ExpiresIn => (int)tokens.Lifetime.TotalSeconds;

    sealed record Caller(bool IsSecret, DirectLineGrant? Grant);

    Caller Authorize(HttpContext context)
    {
        if (DevMode && !options.AllowRemote && !HttpHelpers.IsLoopback(context))
            throw new RequestException(StatusCodes.Status401Unauthorized, "Unauthorized",
                "Direct Line runs in dev mode (no ScenarioKit:DirectLineSecret configured) and accepts only loopback callers.");
        string? header = context.Request.Headers.Authorization;
        string? bearer = null;
        if (!string.IsNullOrWhiteSpace(header))
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                throw new RequestException(StatusCodes.Status401Unauthorized, "Unauthorized", "Authorization must be 'Bearer <secret or token>'.");
            bearer = header[7..].Trim();
        }
        if (bearer is null)
        {
            if (DevMode) return new Caller(true, null);
            throw new RequestException(StatusCodes.Status401Unauthorized, "Unauthorized", "Authorization header is missing: send 'Bearer <secret or token>'.");
        }
        if (!DevMode && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(bearer), Encoding.UTF8.GetBytes(options.DirectLineSecret!)))
            return new Caller(true, null);
        return tokens.Validate(bearer, out var grant) switch
        {
            TokenValidation.Valid => new Caller(false, grant),
            TokenValidation.Expired => throw new RequestException(StatusCodes.Status403Forbidden, "TokenExpired", "The token has expired; get a new one from tokens/refresh before it expires, or from tokens/generate."),
            // §4.3 step 2: with no secret or token directlinejs literally sends "Bearer undefined"; dev mode accepts it.
            _ when DevMode => new Caller(true, null),
            _ => throw new RequestException(StatusCodes.Status403Forbidden, "BadArgument", "The token is not valid."),
        };
    }

    static void EnsureAccess(Caller caller, string conversationId)
    {
        if (caller.Grant is { } grant && !string.Equals(grant.ConversationId, conversationId, StringComparison.Ordinal))
            throw new RequestException(StatusCodes.Status403Forbidden, "BadArgument", "The token is not valid for this conversation.");
    }

    static string Key(string conversationId) => ChannelId + "/" + conversationId;

    async Task<ConversationRecord> RequireConversationAsync(string id, CancellationToken cancellationToken) =>
        await conversations.GetAsync(Key(id), cancellationToken) ?? throw new ConversationNotFoundException(Key(id));

    async Task GenerateAsync(HttpContext context)
    {
        var caller = Authorize(context);
        if (!caller.IsSecret)
            throw new RequestException(StatusCodes.Status403Forbidden, "BadArgument", "tokens/generate needs the Direct Line secret, not a token.");
        var request = await ReadTokenRequestAsync(context);
        var userId = request?.User?.Id;
        var id = NewId();
        var scenario = ScenarioSelector(context.Request.Query["scenario"], context.Request.Query["version"]);
        await HttpHelpers.WriteJsonAsync(context, 200, new DirectLineConversation { ConversationId = id, Token = tokens.Issue(id, userId, scenario), ExpiresIn = ExpiresIn });
    }

    async Task RefreshAsync(HttpContext context)
    {
        var caller = Authorize(context);
        if (caller.Grant is not { } grant)
            throw new RequestException(StatusCodes.Status403Forbidden, "BadArgument", "tokens/refresh needs a token, not the secret.");
        await HttpHelpers.WriteJsonAsync(context, 200, new DirectLineConversation
        {
            ConversationId = grant.ConversationId,
            Token = tokens.Issue(grant.ConversationId, grant.UserId, grant.Scenario),
            ExpiresIn = ExpiresIn,
        });
    }

    async Task StartAsync(HttpContext context)
    {
        var caller = Authorize(context);
        var request = await ReadTokenRequestAsync(context);
        string id;
        string? userId;
        string? scenario;
        if (caller.Grant is { } grant)
        {
            id = grant.ConversationId;
            userId = grant.UserId ?? request?.User?.Id;
            scenario = grant.Scenario;
        }
        else
        {
            id = NewId();
            userId = request?.User?.Id;
            scenario = ScenarioSelector(context.Request.Query["scenario"], context.Request.Query["version"]);
        }
        if (userId is { Length: > 256 })
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "user.id is longer than 256 characters.");

        var existing = await conversations.GetAsync(Key(id), context.RequestAborted);
        if (existing is null)
        {
            var (scenarioId, version) = SplitSelector(scenario);
            var channel = Channel(id, userId, existing, scenarioId, version, request?.Locale);
            // The bot learns of the conversation (its conversationUpdate, §4.1) and may greet before the client subscribes.
            await conversations.RunAsync(new TurnRequest(channel, null, false, new BotConversationStartInput()), context.RequestAborted);
        }
        var token = tokens.Issue(id, caller.Grant?.UserId ?? userId, scenario);
        await HttpHelpers.WriteJsonAsync(context, existing is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, new DirectLineConversation
        {
            ConversationId = id,
            Token = token,
            ExpiresIn = ExpiresIn,
            StreamUrl = StreamUrl(context, id, token, watermark: null),
        });
    }

    async Task ReconnectAsync(HttpContext context)
    {
        var caller = Authorize(context);
        var id = (string)context.GetRouteValue("id")!;
        EnsureAccess(caller, id);
        var record = await RequireConversationAsync(id, context.RequestAborted);
        var token = tokens.Issue(id, caller.Grant?.UserId, caller.Grant?.Scenario ?? record.ScenarioId + "|" + record.ScenarioVersion);
        string? watermark = context.Request.Query["watermark"];
        await HttpHelpers.WriteJsonAsync(context, 200, new DirectLineConversation
        {
            ConversationId = id,
            Token = token,
            ExpiresIn = ExpiresIn,
            StreamUrl = StreamUrl(context, id, token, string.IsNullOrEmpty(watermark) ? null : watermark),
        });
    }

    async Task PostActivityAsync(HttpContext context)
    {
        var caller = Authorize(context);
        var id = (string)context.GetRouteValue("id")!;
        EnsureAccess(caller, id);
        var activity = await HttpHelpers.ReadActivityAsync(context, options.MaxRequestBodyBytes);
        var record = await RequireConversationAsync(id, context.RequestAborted);

        // A token issued for a user pins from.id (§4.1); otherwise the client's from, or the user the conversation started with.
        var userId = caller.Grant?.UserId ?? activity.From?.Id ?? record.UserId;
        if (string.IsNullOrEmpty(userId))
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "activity.from.id is required.");
        var from = (activity.From ?? new ChannelAccount()) with { Id = userId, Role = RoleTypes.User };

        if (activity.Type == ActivityTypes.Typing)
        {
            // Typing is relayed to other participants only: the bot ignores it; a human agent's console shows it.
            await conversations.NotifyTypingAsync(Key(id), context.RequestAborted);
            await HttpHelpers.WriteJsonAsync(context, 200, new ResourceResponse { Id = id + "|typing-" + NewId()[..10] });
            return;
        }

        BotInput? input = activity.Type switch
        {
            ActivityTypes.Message => new BotMessageInput(activity.Text ?? "", null, activity.Value),
            ActivityTypes.Event when string.IsNullOrEmpty(activity.Name) =>
                throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "activity.name is required for an event activity."),
            ActivityTypes.Event when activity.Name == "handoff.status" => BotMessagesEndpoint.HandoffStatus(activity) is { State.Length: > 0 } status ? status : null,
            ActivityTypes.Event => new BotEventInput(activity.Name!, BotMessagesEndpoint.EventValue(activity.Value), null),
            _ => null, // endOfConversation and unknown types are recorded and echoed, nothing more (§1)
        };

        var incoming = activity with
        {
            Id = null,
            ChannelId = ChannelId,
            From = from,
            Recipient = activity.Recipient ?? new ChannelAccount { Id = record.ScenarioId, Name = record.ScenarioId, Role = RoleTypes.Bot },
            Conversation = new ConversationAccount { Id = id },
            ServiceUrl = null,
            CallerId = null,
            DeliveryMode = null,
        };
        var channel = Channel(id, userId, record, null, null, activity.Locale);
        TurnOutcome outcome;
        try
        {
            outcome = await conversations.RunAsync(new TurnRequest(channel, incoming, AssignIncomingId: true, input, CreateIfMissing: false), context.RequestAborted);
        }
        catch (Exception e) when (e is not (OperationCanceledException or RequestException or ScenarioNotFoundException or ConversationNotFoundException))
        {
            logger.LogError(e, "The bot failed on an activity in Direct Line conversation {ConversationId}.", id);
            throw new RequestException(StatusCodes.Status502BadGateway, "BotError", "The bot failed to handle the activity.");
        }
        await HttpHelpers.WriteJsonAsync(context, 200, new ResourceResponse { Id = outcome.Incoming!.Id });
    }

    async Task GetActivitiesAsync(HttpContext context)
    {
        var caller = Authorize(context);
        var id = (string)context.GetRouteValue("id")!;
        EnsureAccess(caller, id);
        await RequireConversationAsync(id, context.RequestAborted);
        var watermark = ParseWatermark(context.Request.Query["watermark"]);
        var activities = await conversations.ReadActivitiesAsync(Key(id), watermark, PageSize, context.RequestAborted);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(ActivitySetJson(activities, watermark), context.RequestAborted);
    }

    Task UploadAsync(HttpContext context)
    {
        var caller = Authorize(context);
        EnsureAccess(caller, (string)context.GetRouteValue("id")!);
        throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "File uploads are not supported: ScenarioKit scenarios take text and events.");
    }

    async Task StreamAsync(HttpContext context)
    {
        var id = (string)context.GetRouteValue("id")!;
        if (!context.WebSockets.IsWebSocketRequest)
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", "The stream URL must be opened as a WebSocket.");
        if (DevMode && !options.AllowRemote && !HttpHelpers.IsLoopback(context))
            throw new RequestException(StatusCodes.Status401Unauthorized, "Unauthorized", "Direct Line runs in dev mode and accepts only loopback callers.");
        // §4.2: the stream URL is pre-authorised (?t=token); browsers send no Authorization on the upgrade.
        string? token = context.Request.Query["t"];
        switch (tokens.Validate(token, out var grant))
        {
            case TokenValidation.Valid when grant!.ConversationId == id:
                break;
            case TokenValidation.Valid:
                throw new RequestException(StatusCodes.Status403Forbidden, "BadArgument", "The token is not valid for this conversation.");
            case TokenValidation.Expired:
                throw new RequestException(StatusCodes.Status403Forbidden, "TokenExpired", "The stream token has expired; reconnect to get a new streamUrl.");
            default:
                if (!DevMode) throw new RequestException(StatusCodes.Status403Forbidden, "BadArgument", "The stream token is not valid.");
                break;
        }
        await RequireConversationAsync(id, context.RequestAborted);
        var watermark = ParseWatermark(context.Request.Query["watermark"]);

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var receiving = DrainIncomingAsync(socket, closed);
        try
        {
            while (!closed.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                var activities = await conversations.ReadActivitiesAsync(Key(id), watermark, PageSize, closed.Token);
                if (activities.Count > 0)
                {
                    var frame = ActivitySetJson(activities, watermark);
                    watermark = activities[^1].Seq;
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, closed.Token);
                    continue;
                }
                await feed.WaitAsync(Key(id), watermark, options.StreamKeepAlive, closed.Token);
                if (await conversations.ReadActivitiesAsync(Key(id), watermark, 1, closed.Token) is { Count: 0 })
                {
                    // §4.2: an empty text frame is the keep-alive directlinejs expects (it drops empty frames).
                    await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, true, closed.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            await closed.CancelAsync();
            await receiving;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
                catch (WebSocketException)
                {
                }
            }
        }
    }

    // directlinejs sends "" every `timeout` ms as a ping (§4.2); client frames carry nothing else we use.
    static async Task DrainIncomingAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await closed.CancelAsync();
        }
    }

    ChannelContext Channel(string id, string? userId, ConversationRecord? record, string? scenarioId, string? version, string? locale) => new(
        Key: Key(id),
        ConversationId: id,
        ChannelId: ChannelId,
        ServiceUrl: null,
        Conversation: new ConversationAccount { Id = id },
        User: new ChannelAccount { Id = userId ?? record?.UserId ?? "user", Role = RoleTypes.User },
        Bot: null,
        Locale: locale,
        ScenarioId: scenarioId,
        ScenarioVersion: version);

    static async Task<TokenRequest?> ReadTokenRequestAsync(HttpContext context)
    {
        using var document = await HttpHelpers.ReadJsonObjectAsync(context, 16 * 1024, optional: true);
        if (document is null) return null;
        try
        {
            return BotFrameworkJson.Deserialize<TokenRequest>(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", $"body{e.Path?.TrimStart('$')} has the wrong type.");
        }
    }

    static long ParseWatermark(string? value)
    {
        if (string.IsNullOrEmpty(value)) return 0; // §4.1: empty means "from the start"
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            throw new RequestException(StatusCodes.Status400BadRequest, "BadArgument", $"watermark '{value}' is not one this server issued.");
        return seq;
    }

    /// <summary>Writes the stored activities verbatim: they were serialized once when logged.</summary>
    static byte[] ActivitySetJson(IReadOnlyList<StoredActivity> activities, long watermark)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("activities");
            foreach (var a in activities) writer.WriteRawValue(a.Json.Span, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteString("watermark", (activities.Count > 0 ? activities[^1].Seq : watermark).ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    static string StreamUrl(HttpContext context, string id, string token, string? watermark)
    {
        var request = context.Request;
        var scheme = request.IsHttps ? "wss" : "ws";
        var url = $"{scheme}://{request.Host}{request.PathBase}/v3/directline/conversations/{id}/stream?t={Uri.EscapeDataString(token)}";
        return watermark is null ? url : url + "&watermark=" + Uri.EscapeDataString(watermark);
    }

    static string? ScenarioSelector(string? scenario, string? version) =>
        string.IsNullOrEmpty(scenario) ? null : string.IsNullOrEmpty(version) ? scenario : scenario + "|" + version;

    static (string? Id, string? Version) SplitSelector(string? selector)
    {
        if (string.IsNullOrEmpty(selector)) return (null, null);
        var bar = selector.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (selector, null) : (selector[..bar], selector[(bar + 1)..]);
    }

    // 16 random bytes, base64url: URL-safe as directlinejs needs (§4.1), unguessable.
    static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
