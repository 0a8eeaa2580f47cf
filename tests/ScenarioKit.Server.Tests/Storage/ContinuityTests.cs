using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ScenarioKit.Server.Bots;
using ScenarioKit.Server.Conversations;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Storage;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Storage;

public sealed class ContinuityTests
{
    [Fact]
    public async Task A_restarted_server_continues_every_conversation_where_it_was()
    {
        var directory = TempDirectory.Create();
        string dlId, dlToken;
        const string secret = "restart-secret-0123456789abcdef";
        await using (var first = await TestServer.StartAsync(bots: [], configure: o => { o.Sources.Add(Repo.ReferenceScenario); o.DirectLineSecret = secret; }, directory: directory))
        {
            await first.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("r", 0));
            await first.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("r", 1));
            var started = await first.PostJsonForJsonAsync("/v3/directline/conversations", "{}", "Bearer " + secret);
            dlId = started.GetProperty("conversationId").GetString()!;
            dlToken = started.GetProperty("token").GetString()!;
            await first.PostJsonForJsonAsync($"/v3/directline/conversations/{dlId}/activities", """{"type":"message","text":"where is my order","from":{"id":"u"}}""", "Bearer " + dlToken);
        }

        await using var second = await TestServer.StartAsync(bots: [], configure: o => { o.Sources.Add(Repo.ReferenceScenario); o.DirectLineSecret = secret; }, directory: directory);
        // /api/messages: the prompt for the order number is still open.
        var retry = await second.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("r", 2));
        Assert.Equal("That doesn't look like an 8-digit order number. Please try again (retry 1 of 2).", retry.GetProperty("activities")[0].GetProperty("text").GetString());
        // Direct Line: the token still opens its conversation, the log continues after the watermark.
        var posted = await second.PostJsonForJsonAsync($"/v3/directline/conversations/{dlId}/activities", """{"type":"message","text":"12345678","from":{"id":"u"}}""", "Bearer " + dlToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{dlId}/activities?watermark=2");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + dlToken);
        using var response = await second.Http.SendAsync(request);
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(
            ["12345678", "Order 12345678: shipped on 2 June, arriving 5 June.", "Anything else?"],
            page.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
        Assert.Equal(posted.GetProperty("id").GetString(), page.GetProperty("activities")[1].GetProperty("replyToId").GetString());
    }

    [Fact]
    public async Task A_conversation_finishes_on_its_archived_version_after_a_restart_with_only_the_new_version()
    {
        var directory = TempDirectory.Create();
        var packages = Path.Combine(directory, "packages");
        Directory.CreateDirectory(packages);
        var compiled = ScenarioKit.Language.ScenarioCompiler.Compile(Repo.ReferenceScenario);
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
        var v1 = compiled.Package!;
        var v2Model = v1.Model with
        {
            Version = "2.0.0",
            Fallback = v1.Model.Fallback! with { Variations = [v1.Model.Fallback.Variations[0] with { Source = "v2 fallback", Parts = [new ScenarioKit.Model.TemplatePart("v2 fallback", null)] }] },
        };
        var v2 = ScenarioKit.Model.PackageFormat.CreatePackage(v2Model, "test");
        var v1Path = Path.Combine(packages, "reference-1.0.0.skpkg");
        ScenarioKit.Model.PackageFormat.WriteFile(v1, v1Path);

        await using (var first = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(packages), directory: directory))
        {
            await first.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("v", 0, text: "gibberish"));
        }
        File.Delete(v1Path);
        ScenarioKit.Model.PackageFormat.WriteFile(v2, Path.Combine(packages, "reference-2.0.0.skpkg"));

        await using var second = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(packages), directory: directory);
        var old = await second.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("v", 1, text: "more gibberish"));
        Assert.StartsWith("Sorry, I didn't get that.", old.GetProperty("activities")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var fresh = await second.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("w", 0, text: "gibberish"));
        Assert.Equal("v2 fallback", fresh.GetProperty("activities")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_package_copied_into_the_folder_is_deployed_without_a_restart()
    {
        var directory = TempDirectory.Create();
        var packages = Path.Combine(directory, "packages");
        Directory.CreateDirectory(packages);
        var v1 = ScenarioKit.Language.ScenarioCompiler.Compile(Repo.ReferenceScenario).Package!;
        ScenarioKit.Model.PackageFormat.WriteFile(v1, Path.Combine(packages, "a.skpkg"));
        await using var server = await TestServer.StartAsync(bots: [], configure: o => { o.Sources.Add(packages); o.PackageRescanInterval = TimeSpan.FromMilliseconds(100); }, directory: directory);
        await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("d", 0));
        var v2 = ScenarioKit.Model.PackageFormat.CreatePackage(v1.Model with { Version = "1.1.0" }, "test");
        ScenarioKit.Model.PackageFormat.WriteFile(v2, Path.Combine(packages, "b.skpkg"));
        var catalog = server.Service<ScenarioCatalog>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (catalog.Resolve("reference-support", null)?.Version != "1.1.0" && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal("1.1.0", catalog.Resolve("reference-support", null)?.Version);
        var record = await server.Service<IConversationStore>().GetAsync("channel/bench/conv-d", CancellationToken.None);
        Assert.Equal("1.0.0", record!.ScenarioVersion);
    }

    [Fact]
    public async Task Concurrent_posts_to_one_conversation_run_one_at_a_time_in_order()
    {
        await using var server = await TestServer.StartAsync();
        var tasks = Enumerable.Range(0, 40).Select(i => server.PostJsonAsync("/api/messages",
            Reference.UserActivity("c", i, text: "hello"))).ToList();
        foreach (var response in await Task.WhenAll(tasks))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        var log = await server.Service<IConversationStore>().ReadActivitiesAsync("channel/bench/conv-c", 0, 1000, CancellationToken.None);
        Assert.Equal(80, log.Count); // every turn: the user message and the greeting, none lost
        Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), log.Select(a => a.Seq));
        for (var i = 0; i < log.Count; i += 2)
        {
            var user = JsonDocument.Parse(log[i].Json).RootElement;
            var bot = JsonDocument.Parse(log[i + 1].Json).RootElement;
            Assert.Equal(user.GetProperty("id").GetString(), bot.GetProperty("replyToId").GetString());
        }
        var record = await server.Service<IConversationStore>().GetAsync("channel/bench/conv-c", CancellationToken.None);
        Assert.Equal(40, record!.Version);
    }

    [Fact]
    public async Task The_store_rejects_a_write_based_on_a_stale_version()
    {
        var path = Path.Combine(TempDirectory.Create(), "c.db");
        await using var store = new SqliteConversationStore(path);
        var now = DateTimeOffset.UtcNow;
        var created = new ConversationRecord("k", "c", "test", "s", "1", "u", new byte[] { 1 }, 1, 1, true, false, now, now);
        await store.SaveAsync(new TurnWrite(created, 0, [new StoredActivity(1, "message", "{}"u8.ToArray())]), CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(new TurnWrite(created, 0, []), CancellationToken.None));

        var nodeA = created with { Version = 2, LastSeq = 2, State = new byte[] { 2 } };
        var nodeB = created with { Version = 2, LastSeq = 2, State = new byte[] { 3 } };
        await store.SaveAsync(new TurnWrite(nodeA, 1, [new StoredActivity(2, "message", "{\"a\":1}"u8.ToArray())]), CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.SaveAsync(new TurnWrite(nodeB, 1, [new StoredActivity(2, "message", "{\"b\":1}"u8.ToArray())]), CancellationToken.None));
        var stored = await store.GetAsync("k", CancellationToken.None);
        Assert.Equal(new byte[] { 2 }, stored!.State.ToArray());
        Assert.Equal("{\"a\":1}", System.Text.Encoding.UTF8.GetString((await store.ReadActivitiesAsync("k", 1, 10, CancellationToken.None)).Single().Json.Span));
    }

    [Fact]
    public async Task A_turn_that_loses_a_race_with_another_node_is_run_again_on_the_newer_state()
    {
        var path = Path.Combine(TempDirectory.Create(), "shared.db");
        await using var storeA = new SqliteConversationStore(path);
        await using var storeB = new SqliteConversationStore(path);
        var bot = new ReferenceBot();
        var catalog = new ScenarioCatalog();
        catalog.Deploy(bot);
        ConversationService Node(IConversationStore store) =>
            new(store, catalog, new ConversationLocks(), new ConversationFeed(TimeProvider.System), new ServerMetrics(), TimeProvider.System, NullLogger<ConversationService>.Instance);
        var channel = new ChannelContext("test/x", "x", "test", null, new() { Id = "x" }, new() { Id = "u" }, null, null, null, null);
        TurnRequest Say(string text, string id) => new(channel, new ScenarioKit.BotFramework.Schema.Activity { Type = "message", Id = id, Text = text }, false, new BotMessageInput(text, id, null));

        await Node(storeA).RunAsync(Say("where is my order", "1"), CancellationToken.None);
        // Node B answers turn 2 from a stale read: a store wrapper hands it the pre-turn-2 row once.
        var stale = await storeA.GetAsync("test/x", CancellationToken.None);
        await Node(storeA).RunAsync(Say("abc", "2"), CancellationToken.None);
        var outcome = await Node(new StaleOnce(storeB, stale!)).RunAsync(Say("xyz", "3"), CancellationToken.None);
        // Run again on the newer state: this is the second invalid answer, not the first.
        Assert.Contains("retry 2 of 2", Assert.Single(outcome.Replies).Text, StringComparison.Ordinal);
        Assert.Equal(3, outcome.Record.Version);
    }

    sealed class StaleOnce(IConversationStore inner, ConversationRecord stale) : IConversationStore
    {
        public Task<IReadOnlyList<ConversationRecord>> ListActiveAsync(DateTimeOffset sinceUtc, bool withAgentOnly, int limit, CancellationToken cancellationToken) =>
            inner.ListActiveAsync(sinceUtc, withAgentOnly, limit, cancellationToken);

        int _served;
        public Task<ConversationRecord?> GetAsync(string key, CancellationToken ct) =>
            Interlocked.Exchange(ref _served, 1) == 0 ? Task.FromResult<ConversationRecord?>(stale) : inner.GetAsync(key, ct);
        public Task SaveAsync(TurnWrite write, CancellationToken ct) => inner.SaveAsync(write, ct);
        public Task<IReadOnlyList<StoredActivity>> ReadActivitiesAsync(string key, long afterSeq, int limit, CancellationToken ct) => inner.ReadActivitiesAsync(key, afterSeq, limit, ct);
        public Task<bool> PingAsync(CancellationToken ct) => inner.PingAsync(ct);
    }
}
