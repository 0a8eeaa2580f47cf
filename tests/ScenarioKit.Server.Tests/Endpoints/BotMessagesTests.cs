using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScenarioKit.Storage;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Endpoints;

public sealed class BotMessagesTests
{
    static async Task<JsonElement[]> TurnAsync(TestServer server, string conversation, int turn, string path = "/api/messages", string? text = null)
    {
        var body = await server.PostJsonForJsonAsync(path, Reference.UserActivity(conversation, turn, text: text));
        return [.. body.GetProperty("activities").EnumerateArray()];
    }

    [Fact]
    public async Task Reference_conversation_with_expectReplies_returns_every_reply_in_the_body()
    {
        await using var server = await TestServer.StartAsync();

        var t1 = await TurnAsync(server, "a", 0);
        var greeting = Assert.Single(t1);
        Assert.Equal("message", greeting.GetProperty("type").GetString());
        Assert.Equal(ReferenceBot.Greeting, greeting.GetProperty("text").GetString());
        Assert.Equal(ReferenceBot.Menu, greeting.GetProperty("suggestedActions").GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("title").GetString()!));
        Assert.All(greeting.GetProperty("suggestedActions").GetProperty("actions").EnumerateArray(), a => Assert.Equal("imBack", a.GetProperty("type").GetString()));
        // §2.2: reply semantics: replyToId, accounts swapped, conversation copied, stamped, role set.
        Assert.Equal("a-1", greeting.GetProperty("replyToId").GetString());
        Assert.Equal("bot", greeting.GetProperty("from").GetProperty("id").GetString());
        Assert.Equal("bot", greeting.GetProperty("from").GetProperty("role").GetString());
        Assert.Equal("user-a", greeting.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("conv-a", greeting.GetProperty("conversation").GetProperty("id").GetString());
        Assert.EndsWith("Z", greeting.GetProperty("timestamp").GetString(), StringComparison.Ordinal);
        Assert.Equal("acceptingInput", greeting.GetProperty("inputHint").GetString());

        var t2 = Assert.Single(await TurnAsync(server, "a", 1));
        Assert.Equal(ReferenceBot.AskOrder, t2.GetProperty("text").GetString());
        Assert.Equal("expectingInput", t2.GetProperty("inputHint").GetString());
        Assert.Contains("retry 1 of 2", Assert.Single(await TurnAsync(server, "a", 2)).GetProperty("text").GetString(), StringComparison.Ordinal);
        var t4 = await TurnAsync(server, "a", 3);
        Assert.Equal(["Order 12345678: shipped on 2 June, arriving 5 June.", ReferenceBot.AnythingElse], t4.Select(a => a.GetProperty("text").GetString()));

        var t5 = await TurnAsync(server, "a", 4);
        Assert.Equal(2, t5.Length);
        var handoff = t5[0];
        Assert.Equal("event", handoff.GetProperty("type").GetString());
        Assert.Equal("handoff.initiate", handoff.GetProperty("name").GetString());
        Assert.Equal("12345678", handoff.GetProperty("value").GetProperty("orderNumber").GetString());
        Assert.Equal(10, handoff.GetProperty("value").GetProperty("transcript").GetArrayLength());
        // §5: the transcript also travels as an attachment named Transcript.
        var attachment = Assert.Single(handoff.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/json", attachment.GetProperty("contentType").GetString());
        Assert.Equal("Transcript", attachment.GetProperty("name").GetString());
        var transcript = attachment.GetProperty("content").GetProperty("activities").EnumerateArray().ToList();
        Assert.Equal(10, transcript.Count); // 5 user messages + 5 bot messages before the handoff
        Assert.Equal("hello", transcript[0].GetProperty("text").GetString());
        Assert.Equal("talk to a human", transcript[^1].GetProperty("text").GetString());
        Assert.Equal("a-5", handoff.GetProperty("relatesTo").GetProperty("activityId").GetString());
        Assert.Equal(ReferenceBot.Handoff, t5[1].GetProperty("text").GetString());

        // After the handoff the bot stays silent.
        Assert.Empty(await TurnAsync(server, "a", 0, "/api/messages"));

        var ids = t1.Concat(t4).Concat(t5).Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_handoff_transcript_holds_each_logged_activity_exactly_as_it_was_answered()
    {
        // The transcript attachment is joined from the logged bytes (docs/performance.md, "Session 7"): every earlier
        // reply appears in it byte for byte as its own answer carried it, Japanese and escaped characters included.
        await using var server = await TestServer.StartAsync();
        const string japanese = "注文番号は「わからない」です <&> \"引用\" \\ 😀";
        var earlier = new List<JsonElement>();
        for (var turn = 0; turn < 4; turn++)
            earlier.AddRange(await TurnAsync(server, "raw", turn, text: turn == 2 ? japanese : null));

        var handoff = (await TurnAsync(server, "raw", 4))[0];
        var transcript = Assert.Single(handoff.GetProperty("attachments").EnumerateArray())
            .GetProperty("content").GetProperty("activities").EnumerateArray().ToList();
        var raw = transcript.Select(a => a.GetRawText()).ToHashSet(StringComparer.Ordinal);
        Assert.All(earlier, reply => Assert.Contains(reply.GetRawText(), raw));
        var userTexts = transcript.Where(a => a.GetProperty("from").GetProperty("role").GetString() == "user").Select(a => a.GetProperty("text").GetString());
        Assert.Equal([Reference.UserTurns[0], Reference.UserTurns[1], japanese, Reference.UserTurns[3], Reference.UserTurns[4]], userTexts);
        Assert.Equal(earlier.Count + 5, transcript.Count);
    }

    [Fact]
    public async Task Answers_carry_their_exact_Content_Length_not_chunks()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var body in new[] { Reference.UserActivity("len", 0), Reference.UserActivity("len", 1, text: "注文はどこ？ <&>"), "{\"type\":\"typing\",\"deliveryMode\":\"expectReplies\"}", "{\"text\":\"hi\"}" })
        {
            using var response = await server.PostJsonAsync("/api/messages", body);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            using var json = JsonDocument.Parse(bytes);
        }
    }

    [Fact]
    public async Task Hosting_diagnostics_are_off_so_requests_start_no_activity_unless_configured()
    {
        const string category = "Microsoft.AspNetCore.Hosting.Diagnostics";
        await using (var server = await TestServer.StartAsync())
            Assert.False(server.Service<ILoggerFactory>().CreateLogger(category).IsEnabled(LogLevel.Critical));
        await using (var server = await TestServer.StartAsync(args: [$"--Logging:LogLevel:{category}=Information"]))
            Assert.True(server.Service<ILoggerFactory>().CreateLogger(category).IsEnabled(LogLevel.Information));
        await using (var server = await TestServer.StartAsync(args: ["--Logging:LogLevel:Microsoft.AspNetCore=Information"]))
            Assert.True(server.Service<ILoggerFactory>().CreateLogger(category).IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task An_unreachable_serviceUrl_is_502_and_the_turn_is_kept()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.PostJsonAsync("/api/messages", Reference.UserActivity("down", 0, expectReplies: false));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("The turn was saved", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var logged = await server.Service<IConversationStore>().ReadActivitiesAsync("channel/bench/conv-down", 0, 10, CancellationToken.None);
        Assert.Equal(2, logged.Count);
    }

    sealed class FailingBot : ScenarioKit.Server.Bots.IScenarioBot
    {
        public string ScenarioId => "failing";
        public string Version => "1.0.0";
        public string Locale => "en-US";
        public byte[] Start(string conversationId, string userId) => [];
        public ValueTask<ScenarioKit.Server.Bots.BotTurnResult> RunTurnAsync(byte[] state, ScenarioKit.Server.Bots.BotInput input, CancellationToken cancellationToken) =>
            input is ScenarioKit.Server.Bots.BotConversationStartInput
                ? ValueTask.FromResult(new ScenarioKit.Server.Bots.BotTurnResult(state, [], new(null, false, false, false)))
                : throw new InvalidOperationException("bot bug");
    }

    [Fact]
    public async Task A_failing_bot_is_a_500_or_502_with_an_error_body_and_nothing_is_saved()
    {
        await using var server = await TestServer.StartAsync([new FailingBot()]);
        using var response = await server.PostJsonAsync("/api/messages", Reference.UserActivity("f", 0));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("InternalError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("bot bug", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await server.Service<IConversationStore>().GetAsync("channel/bench/conv-f", CancellationToken.None));

        var started = await server.PostJsonForJsonAsync("/v3/directline/conversations", "{}");
        var id = started.GetProperty("conversationId").GetString();
        using var post = await server.PostJsonAsync($"/v3/directline/conversations/{id}/activities", """{"type":"message","text":"hi","from":{"id":"u"}}""");
        Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        Assert.Equal("BotError", JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Japanese_text_round_trips_unescaped()
    {
        await using var server = await TestServer.StartAsync();
        var json = Reference.UserActivity("ja", 0, text: "こんにちは、注文はどこ？");
        (await server.PostJsonAsync("/api/messages", json)).Dispose();
        using var response = await server.PostJsonAsync("/api/messages", "{\"type\":\"event\",\"name\":\"page_dwell\",\"value\":{\"seconds\":30},\"channelId\":\"bench\",\"conversation\":{\"id\":\"conv-ja\"},\"deliveryMode\":\"expectReplies\"}");
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ReferenceBot.DwellNudge, raw, StringComparison.Ordinal);
        var store = server.Service<IConversationStore>();
        var logged = await store.ReadActivitiesAsync("channel/bench/conv-ja", 0, 10, CancellationToken.None);
        Assert.Contains("こんにちは、注文はどこ？", Encoding.UTF8.GetString(logged[0].Json.Span), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", 400, "not valid JSON")]
    [InlineData("[1,2]", 400, "must be a JSON object, not an array")]
    [InlineData("\"hello\"", 400, "must be a JSON object")]
    [InlineData("{\"text\":\"hi\"}", 400, "activity.type is required")]
    [InlineData("{\"type\":42}", 400, "activity.type must be a non-empty string")]
    [InlineData("{\"type\":\"message\",\"text\":\"hi\",\"deliveryMode\":\"expectReplies\"}", 400, "activity.conversation.id is required")]
    [InlineData("{\"type\":\"message\",\"conversation\":{\"id\":\"x\"},\"text\":\"hi\"}", 400, "activity.serviceUrl is required")]
    [InlineData("{\"type\":\"message\",\"conversation\":{\"id\":\"x\"},\"from\":\"me\",\"deliveryMode\":\"expectReplies\"}", 400, "activity.from")]
    [InlineData("{\"type\":\"event\",\"conversation\":{\"id\":\"x\"},\"deliveryMode\":\"expectReplies\"}", 400, "activity.name is required")]
    [InlineData("{\"type\":\"invoke\",\"name\":\"x\",\"conversation\":{\"id\":\"x\"},\"deliveryMode\":\"expectReplies\"}", 501, "not supported")]
    public async Task Bad_activities_get_a_clear_error_naming_the_problem(string body, int status, string message)
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.PostJsonAsync("/api/messages", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Wrong_content_type_is_415_huge_body_is_413_and_GET_is_405()
    {
        await using var server = await TestServer.StartAsync();
        using (var r = await server.PostJsonAsync("/api/messages", Reference.UserActivity("ct", 0), contentType: "text/plain"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
            Assert.Contains("application/json", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var huge = Reference.UserActivity("big", 0, text: new string('x', 300 * 1024));
        using (var r = await server.PostJsonAsync("/api/messages", huge))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        using (var r = await server.Http.GetAsync(new Uri("/api/messages", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
            Assert.Contains("POST", r.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task A_body_is_read_whole_with_or_without_its_length()
    {
        // With Content-Length the read stops at it (docs/performance.md, "Session 8"); chunked, the buffer grows to the end.
        await using var server = await TestServer.StartAsync();
        var text = string.Concat(Enumerable.Repeat("注文番号 <&> ", 1200)); // ≈ 18 KB of UTF-8, past the 4 KB first buffer
        foreach (var chunked in new[] { false, true })
        {
            var body = Encoding.UTF8.GetBytes(Reference.UserActivity(chunked ? "chunked" : "length", 0, text: text));
            using var content = chunked ? new UnknownLengthContent(body) : (HttpContent)new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await server.Http.PostAsync(new Uri("/api/messages", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEmpty(JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.GetProperty("activities").EnumerateArray());
        }
        using (var huge = new UnknownLengthContent(Encoding.UTF8.GetBytes(Reference.UserActivity("big", 0, text: new string('x', 300 * 1024)))))
        {
            huge.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await server.Http.PostAsync(new Uri("/api/messages", UriKind.Relative), huge);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
    }

    /// <summary>A body sent chunked: its length is not known up front.</summary>
    sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task Bad_input_between_turns_loses_nothing()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Single(await TurnAsync(server, "n", 0));
        Assert.Single(await TurnAsync(server, "n", 1));
        // Garbage aimed at the same conversation, and activity types the bot does not handle.
        (await server.PostJsonAsync("/api/messages", "{\"type\":\"message\",\"conversation\":{\"id\":\"conv-n\"},\"channelId\":\"bench\",")).Dispose();
        (await server.PostJsonAsync("/api/messages", "{\"type\":\"message\",\"conversation\":{\"id\":\"conv-n\"},\"channelId\":\"bench\",\"timestamp\":\"yesterday\",\"deliveryMode\":\"expectReplies\"}")).Dispose();
        foreach (var type in new[] { "typing", "messageReaction", "installationUpdate", "somethingNew" })
        {
            var body = await server.PostJsonForJsonAsync("/api/messages", $$"""{"type":"{{type}}","channelId":"bench","conversation":{"id":"conv-n"},"deliveryMode":"expectReplies"}""");
            Assert.Empty(body.GetProperty("activities").EnumerateArray());
        }
        // The conversation is still waiting for the order number.
        Assert.Contains("retry 1 of 2", Assert.Single(await TurnAsync(server, "n", 2)).GetProperty("text").GetString(), StringComparison.Ordinal);
        var logged = await server.Service<IConversationStore>().ReadActivitiesAsync("channel/bench/conv-n", 0, 100, CancellationToken.None);
        Assert.Equal([1, 2, 3, 4, 5, 6], logged.Select(a => (int)a.Seq));
    }

    [Fact]
    public async Task Timestamp_with_a_bad_format_names_the_field()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.PostJsonAsync("/api/messages", "{\"type\":\"message\",\"conversation\":{\"id\":\"x\"},\"timestamp\":\"yesterday\",\"deliveryMode\":\"expectReplies\"}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("activity.timestamp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConversationUpdate_adding_the_user_sends_the_welcome_once()
    {
        await using var server = await TestServer.StartAsync();
        const string update = """
            {"type":"conversationUpdate","channelId":"emulator","conversation":{"id":"w1"},"from":{"id":"u1"},
             "recipient":{"id":"bot1","role":"bot"},"membersAdded":[{"id":"bot1"},{"id":"u1"}],"deliveryMode":"expectReplies"}
            """;
        var first = (await server.PostJsonForJsonAsync("/api/messages", update)).GetProperty("activities");
        Assert.Equal(ReferenceBot.Welcome, Assert.Single(first.EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal("bot1", first[0].GetProperty("from").GetProperty("id").GetString());
        var second = (await server.PostJsonForJsonAsync("/api/messages", update)).GetProperty("activities");
        Assert.Empty(second.EnumerateArray());
        // An update that only adds the bot does not greet.
        var botOnly = update.Replace("{\"id\":\"bot1\"},{\"id\":\"u1\"}", "{\"id\":\"bot1\"}", StringComparison.Ordinal).Replace("\"w1\"", "\"w2\"", StringComparison.Ordinal);
        Assert.Empty((await server.PostJsonForJsonAsync("/api/messages", botOnly)).GetProperty("activities").EnumerateArray());
    }

    [Fact]
    public async Task Journey_events_and_handoff_status_reach_the_bot()
    {
        await using var server = await TestServer.StartAsync();
        const string dwell = """{"type":"event","name":"page_dwell","value":{"seconds":45},"id":"e1","channelId":"web","conversation":{"id":"ev"},"from":{"id":"u"},"recipient":{"id":"b"},"deliveryMode":"expectReplies"}""";
        var reply = Assert.Single((await server.PostJsonForJsonAsync("/api/messages", dwell)).GetProperty("activities").EnumerateArray());
        Assert.Equal(ReferenceBot.DwellNudge, reply.GetProperty("text").GetString());
        Assert.Equal(2, reply.GetProperty("suggestedActions").GetProperty("actions").GetArrayLength());

        // The same activity id again is a redelivery: the bot does not answer twice, the log keeps it once.
        Assert.Empty((await server.PostJsonForJsonAsync("/api/messages", dwell)).GetProperty("activities").EnumerateArray());
        var log = await server.Service<IConversationStore>().ReadActivitiesAsync("channel/web/ev", 0, 10, CancellationToken.None);
        Assert.Equal(["event", "message"], log.Select(a => a.Type));

        (await server.PostJsonForJsonAsync("/api/messages", """{"type":"message","id":"m1","text":"talk to a human","channelId":"web","conversation":{"id":"ev"},"from":{"id":"u"},"recipient":{"id":"b"},"deliveryMode":"expectReplies"}""")).GetProperty("activities");
        Assert.Empty((await server.PostJsonForJsonAsync("/api/messages", """{"type":"message","id":"m2","text":"hello?","channelId":"web","conversation":{"id":"ev"},"from":{"id":"u"},"recipient":{"id":"b"},"deliveryMode":"expectReplies"}""")).GetProperty("activities").EnumerateArray());
        var completed = await server.PostJsonForJsonAsync("/api/messages", """{"type":"event","name":"handoff.status","value":{"state":"completed","message":{"agent":"佐藤"}},"channelId":"web","conversation":{"id":"ev"},"from":{"id":"hub"},"recipient":{"id":"b"},"deliveryMode":"expectReplies"}""");
        Assert.Equal("The agent has finished. Anything else?", Assert.Single(completed.GetProperty("activities").EnumerateArray()).GetProperty("text").GetString());
        // A malformed handoff.status is not rejected (§5) and changes nothing.
        var malformed = await server.PostJsonForJsonAsync("/api/messages", """{"type":"event","name":"handoff.status","value":"??","channelId":"web","conversation":{"id":"ev"},"deliveryMode":"expectReplies"}""");
        Assert.Empty(malformed.GetProperty("activities").EnumerateArray());
    }

    [Fact]
    public async Task Scenarios_are_routed_by_id_and_unknown_ids_are_404()
    {
        await using var server = await TestServer.StartAsync([new ReferenceBot("alpha", greeting: "alpha says hi"), new ReferenceBot("beta", greeting: "beta says hi")], o => o.DefaultScenario = "alpha");
        Assert.Equal("alpha says hi", (await TurnAsync(server, "r1", 0))[0].GetProperty("text").GetString());
        Assert.Equal("beta says hi", (await TurnAsync(server, "r2", 0, "/api/beta/messages"))[0].GetProperty("text").GetString());
        Assert.Equal("beta says hi", (await TurnAsync(server, "r3", 0, "/api/messages?scenario=beta"))[0].GetProperty("text").GetString());
        using var response = await server.PostJsonAsync("/api/gamma/messages", Reference.UserActivity("r4", 0));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("gamma", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conversation_stays_on_the_version_it_started_on()
    {
        await using var server = await TestServer.StartAsync([new ReferenceBot("shop", "1.0.0", greeting: "v1 hello")]);
        Assert.Equal("v1 hello", (await TurnAsync(server, "old", 0))[0].GetProperty("text").GetString());
        server.Service<ScenarioKit.Server.Bots.ScenarioCatalog>().Deploy(new ReferenceBot("shop", "2.0.0", greeting: "v2 hello"));
        Assert.Equal("v1 hello", (await TurnAsync(server, "old", 5, text: "hello"))[0].GetProperty("text").GetString());
        Assert.Equal("v2 hello", (await TurnAsync(server, "new", 0))[0].GetProperty("text").GetString());
        Assert.Equal("v1 hello", (await TurnAsync(server, "pinned", 0, "/api/messages?scenario=shop&version=1.0.0"))[0].GetProperty("text").GetString());
    }
}
