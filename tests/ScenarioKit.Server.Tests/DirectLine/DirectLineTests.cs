using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.DirectLine;

public sealed class DirectLineTests
{
    const string Secret = "test-direct-line-secret-0123456789";

    static async Task<JsonElement> SendAsync(TestServer server, HttpMethod method, string path, string? bearer, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    static Task<TestServer> StartAsync(FakeTimeProvider? time = null) => TestServer.StartAsync(
        configure: o => o.DirectLineSecret = Secret,
        services: time is null ? null : s => s.AddSingleton<TimeProvider>(time));

    [Fact]
    public async Task Token_conversation_start_post_and_poll_follow_Direct_Line_3()
    {
        await using var server = await StartAsync();
        var generated = await SendAsync(server, HttpMethod.Post, "/v3/directline/tokens/generate", Secret, """{"user":{"id":"dl_alice","name":"Alice"}}""");
        var token = generated.GetProperty("token").GetString()!;
        var id = generated.GetProperty("conversationId").GetString()!;
        Assert.Equal(1800, generated.GetProperty("expires_in").GetInt32());
        Assert.Matches("^[A-Za-z0-9_-]+$", id); // §4.1: URL-safe

        var started = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", token, expected: HttpStatusCode.Created);
        Assert.Equal(id, started.GetProperty("conversationId").GetString());
        Assert.StartsWith($"ws://{server.BaseAddress.Authority}/v3/directline/conversations/{id}/stream?t=", started.GetProperty("streamUrl").GetString(), StringComparison.Ordinal);
        // Started again with the same token: 200, same conversation.
        var again = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", token);
        Assert.Equal(id, again.GetProperty("conversationId").GetString());

        var welcome = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark=", token);
        var first = Assert.Single(welcome.GetProperty("activities").EnumerateArray());
        Assert.Equal(ReferenceBot.Welcome, first.GetProperty("text").GetString());
        Assert.Equal("bot", first.GetProperty("from").GetProperty("role").GetString());
        var watermark = welcome.GetProperty("watermark").GetString();

        var posted = await SendAsync(server, HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token,
            """{"type":"message","text":"hello","from":{"id":"someone-else","name":"Alice"},"channelData":{"clientActivityID":"c-1","attachmentSizes":[]},"locale":"en-US"}""");
        var postedId = posted.GetProperty("id").GetString()!;

        var page = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark={watermark}", token);
        var activities = page.GetProperty("activities").EnumerateArray().ToList();
        Assert.Equal(2, activities.Count);
        var echo = activities[0];
        Assert.Equal(postedId, echo.GetProperty("id").GetString());
        Assert.Equal("c-1", echo.GetProperty("channelData").GetProperty("clientActivityID").GetString()); // §4.4
        Assert.Equal("dl_alice", echo.GetProperty("from").GetProperty("id").GetString()); // the token pins from.id
        Assert.Equal("user", echo.GetProperty("from").GetProperty("role").GetString());
        Assert.Equal("directline", echo.GetProperty("channelId").GetString());
        Assert.True(echo.TryGetProperty("timestamp", out _));
        var reply = activities[1];
        Assert.Equal(ReferenceBot.Greeting, reply.GetProperty("text").GetString());
        Assert.Equal(postedId, reply.GetProperty("replyToId").GetString());
        Assert.NotEqual(reply.GetProperty("from").GetProperty("id").GetString(), echo.GetProperty("from").GetProperty("id").GetString());

        // Nothing new after the last watermark; the watermark stays.
        var empty = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark={page.GetProperty("watermark").GetString()}", token);
        Assert.Empty(empty.GetProperty("activities").EnumerateArray());
        Assert.Equal(page.GetProperty("watermark").GetString(), empty.GetProperty("watermark").GetString());

        // Reconnect gives a new stream URL; refresh gives a new token for the same conversation.
        var reconnect = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}?watermark=2", token);
        Assert.Contains("watermark=2", reconnect.GetProperty("streamUrl").GetString(), StringComparison.Ordinal);
        var refreshed = await SendAsync(server, HttpMethod.Post, "/v3/directline/tokens/refresh", token);
        Assert.Equal(id, refreshed.GetProperty("conversationId").GetString());
        await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities", refreshed.GetProperty("token").GetString());
        await SendAsync(server, HttpMethod.Get, "/v3/directline/session/getsessionid", token, expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_token_opens_only_its_own_conversation()
    {
        await using var server = await StartAsync();
        var a = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", Secret, expected: HttpStatusCode.Created);
        var b = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", Secret, expected: HttpStatusCode.Created);
        var tokenA = a.GetProperty("token").GetString()!;
        var idB = b.GetProperty("conversationId").GetString()!;

        var error = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{idB}/activities", tokenA, expected: HttpStatusCode.Forbidden);
        Assert.Contains("not valid for this conversation", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await SendAsync(server, HttpMethod.Post, $"/v3/directline/conversations/{idB}/activities", tokenA, """{"type":"message","text":"hi","from":{"id":"x"}}""", HttpStatusCode.Forbidden);
        await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{idB}", tokenA, expected: HttpStatusCode.Forbidden);

        // The stream URL of one conversation does not open another.
        var streamA = new Uri(a.GetProperty("streamUrl").GetString()!);
        var foreign = new Uri(streamA.ToString().Replace(a.GetProperty("conversationId").GetString()!, idB, StringComparison.Ordinal));
        using var ws = new ClientWebSocket();
        var e = await Assert.ThrowsAnyAsync<WebSocketException>(() => ws.ConnectAsync(foreign, CancellationToken.None));
        Assert.Contains("403", e.Message, StringComparison.Ordinal);

        // A token with one altered character is rejected; the secret opens everything; unknown ids are 404.
        var tampered = tokenA[..^2] + (tokenA[^2] == 'A' ? 'B' : 'A') + tokenA[^1];
        await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{a.GetProperty("conversationId").GetString()}/activities", tampered, expected: HttpStatusCode.Forbidden);
        await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{idB}/activities", Secret);
        var missing = await SendAsync(server, HttpMethod.Get, "/v3/directline/conversations/nope/activities", Secret, expected: HttpStatusCode.NotFound);
        Assert.Equal("BadArgument", missing.GetProperty("error").GetProperty("code").GetString());
        await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{idB}/activities", null, expected: HttpStatusCode.Unauthorized);
        await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{idB}/activities", "undefined", expected: HttpStatusCode.Forbidden);
        await SendAsync(server, HttpMethod.Post, "/v3/directline/tokens/generate", tokenA, expected: HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_channel_post_naming_directline_cannot_write_into_a_Direct_Line_conversation()
    {
        await using var server = await StartAsync();
        var started = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", Secret, expected: HttpStatusCode.Created);
        var id = started.GetProperty("conversationId").GetString()!;
        var json = "{\"type\":\"message\",\"id\":\"x1\",\"channelId\":\"directline\",\"conversation\":{\"id\":\"" + id + "\"},\"text\":\"hello\",\"deliveryMode\":\"expectReplies\"}";
        await server.PostJsonForJsonAsync("/api/messages", json);
        var page = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities", Secret);
        Assert.Equal([ReferenceBot.Welcome], page.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Configured_origins_may_call_Direct_Line_from_the_browser()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.AllowedOrigins.Add("https://shop.example"));
        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/v3/directline/conversations");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-ms-bot-agent");
            return await server.Http.SendAsync(request);
        }
        using var allowed = await PreflightAsync("https://shop.example");
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://shop.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-ms-bot-agent", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        using var other = await PreflightAsync("https://evil.example");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Expired_tokens_get_403_TokenExpired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await StartAsync(time);
        var started = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", Secret, expected: HttpStatusCode.Created);
        var token = started.GetProperty("token").GetString()!;
        var id = started.GetProperty("conversationId").GetString()!;
        await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities", token);
        time.Advance(TimeSpan.FromMinutes(31));
        var error = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities", token, expected: HttpStatusCode.Forbidden);
        Assert.Equal("TokenExpired", error.GetProperty("error").GetProperty("code").GetString());
        await SendAsync(server, HttpMethod.Post, "/v3/directline/tokens/refresh", token, expected: HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Dev_mode_accepts_Bearer_undefined_from_loopback()
    {
        await using var server = await TestServer.StartAsync();
        var started = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", "undefined", """{"user":{}}""", HttpStatusCode.Created);
        var id = started.GetProperty("conversationId").GetString()!;
        await SendAsync(server, HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", "undefined", """{"type":"message","text":"hello","from":{"id":"u1"}}""");
        var page = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark=", "undefined");
        Assert.Equal([ReferenceBot.Welcome, "hello", ReferenceBot.Greeting], page.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData("{\"text\":\"no type\"}", HttpStatusCode.BadRequest, "activity.type is required")]
    [InlineData("[]", HttpStatusCode.BadRequest, "JSON object")]
    [InlineData("{\"type\":\"event\",\"from\":{\"id\":\"u\"}}", HttpStatusCode.BadRequest, "activity.name is required")]
    [InlineData("{oops", HttpStatusCode.BadRequest, "not valid JSON")]
    public async Task Bad_posts_are_4xx_and_leave_the_conversation_intact(string json, HttpStatusCode status, string message)
    {
        await using var server = await StartAsync();
        var started = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", Secret, expected: HttpStatusCode.Created);
        var id = started.GetProperty("conversationId").GetString()!;
        var token = started.GetProperty("token").GetString()!;
        var error = await SendAsync(server, HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, json, status);
        Assert.Contains(message, error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities?watermark=abc", token, expected: HttpStatusCode.BadRequest);
        await SendAsync(server, HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","text":"hello","from":{"id":"u"}}""");
        var page = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{id}/activities", token);
        Assert.Equal([ReferenceBot.Welcome, "hello", ReferenceBot.Greeting], page.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task WebSocket_stream_replays_after_the_watermark_then_pushes_live_activities()
    {
        await using var server = await TestServer.StartAsync(configure: o =>
        {
            o.DirectLineSecret = Secret;
            o.StreamKeepAlive = TimeSpan.FromMilliseconds(300);
        });
        var started = await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", Secret, """{"user":{"id":"u1"}}""", HttpStatusCode.Created);
        var id = started.GetProperty("conversationId").GetString()!;
        var token = started.GetProperty("token").GetString()!;
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString()!), CancellationToken.None);
        // Client pings are empty strings (§4.2); the server ignores them.
        await ws.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, true, CancellationToken.None);

        var replay = await ReceiveSetAsync(ws);
        Assert.Equal(ReferenceBot.Welcome, Assert.Single(replay.GetProperty("activities").EnumerateArray()).GetProperty("text").GetString());

        var posted = await SendAsync(server, HttpMethod.Post, $"/v3/directline/conversations/{id}/activities", token, """{"type":"message","text":"hello","from":{"id":"u1"}}""");
        var texts = new List<string>();
        while (texts.Count < 2)
        {
            var set = await ReceiveSetAsync(ws);
            texts.AddRange(set.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("text").GetString()!));
        }
        Assert.Equal(["hello", ReferenceBot.Greeting], texts);

        // With nothing to send, the server sends empty keep-alive frames.
        var keepAlive = await ReceiveRawAsync(ws);
        Assert.Equal("", keepAlive);

        // A stream opened at a watermark replays only what follows it.
        using var late = new ClientWebSocket();
        await late.ConnectAsync(new Uri(started.GetProperty("streamUrl").GetString() + "&watermark=2"), CancellationToken.None);
        var rest = await ReceiveSetAsync(late);
        Assert.Equal([ReferenceBot.Greeting], rest.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
        Assert.Equal(posted.GetProperty("id").GetString(), rest.GetProperty("activities")[0].GetProperty("replyToId").GetString());
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    static async Task<JsonElement> ReceiveSetAsync(ClientWebSocket ws)
    {
        while (true)
        {
            var text = await ReceiveRawAsync(ws);
            if (text.Length > 0) return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    static async Task<string> ReceiveRawAsync(ClientWebSocket ws)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer, cts.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }
}
