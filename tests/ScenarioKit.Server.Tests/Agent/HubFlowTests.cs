using System.Net;
using System.Text;
using System.Text.Json;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Server.Agent;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Agent;

/// <summary>Issue 9: a handoff lands in the built-in hub; an agent takes it, talks, and gives it back to the bot.</summary>
public sealed class HubFlowTests
{
    internal const string Secret = "test-direct-line-secret-0123456789";

    internal sealed class Customer(TestServer server, string token, string conversationId)
    {
        string? _watermark;
        public string ConversationId => conversationId;
        public string Key => "directline/" + conversationId;

        public static async Task<Customer> StartAsync(TestServer server, string userId = "dl_alice", string name = "Alice")
        {
            var generated = await SendAsync(server, HttpMethod.Post, "/v3/directline/tokens/generate", Secret, JsonSerializer.Serialize(new { user = new { id = userId, name } }));
            var customer = new Customer(server, generated.GetProperty("token").GetString()!, generated.GetProperty("conversationId").GetString()!);
            await SendAsync(server, HttpMethod.Post, "/v3/directline/conversations", customer.Token, expected: HttpStatusCode.Created);
            await customer.ReadAsync();
            return customer;
        }

        public string Token => token;

        public Task SayAsync(string text) => SendAsync(server, HttpMethod.Post, $"/v3/directline/conversations/{conversationId}/activities", token,
            JsonSerializer.Serialize(new { type = "message", text, from = new { id = "dl_alice", name = "Alice" }, locale = "en-US" }));

        /// <summary>Activities from others (bot or agent) since the last read.</summary>
        public async Task<List<JsonElement>> ReadAsync()
        {
            var page = await SendAsync(server, HttpMethod.Get, $"/v3/directline/conversations/{conversationId}/activities?watermark={_watermark}", token);
            _watermark = page.GetProperty("watermark").GetString();
            return [.. page.GetProperty("activities").EnumerateArray().Where(a => a.GetProperty("from").GetProperty("role").GetString() != "user")];
        }
    }

    internal static IEnumerable<string> Texts(IEnumerable<JsonElement> activities) =>
        activities.Where(a => a.GetProperty("type").GetString() == "message").Select(a => a.GetProperty("text").GetString()!);

    internal static async Task<JsonElement> SendAsync(TestServer server, HttpMethod method, string path, string? bearer, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    internal static Task<TestServer> StartAsync(string? directory = null, TimeProvider? time = null, Action<ScenarioServerOptions>? configure = null) => TestServer.StartAsync(
        bots: [],
        configure: o =>
        {
            o.Sources.Add(Repo.ReferenceScenario);
            o.DirectLineSecret = Secret;
            configure?.Invoke(o);
        },
        services: time is null ? null : s => s.AddSingleton(time),
        directory: directory);

    internal static async Task<AgentAccount> AddAgentAsync(TestServer server, string login = "sato", string name = "Sato", AgentRole role = AgentRole.Agent, string queues = "support") =>
        await server.Service<AgentDirectory>().AddAsync(login, name, role, queues.Split(','), "correct-horse-battery", "test");

    internal static async Task<HandoffEntry> WaitForEntryAsync(TestServer server, AgentAccount agent, Func<HandoffEntry, bool>? where = null)
    {
        var hub = server.Service<HubService>();
        for (var i = 0; i < 100; i++)
        {
            await server.Service<HubConversationObserver>().DrainAsync();
            if (hub.ListOpen(agent).FirstOrDefault(where ?? (_ => true)) is { } entry) return entry;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException("No hub entry appeared.");
    }

    [Fact]
    public async Task A_handoff_is_queued_with_its_reason_accepted_talked_and_returned_to_the_bot()
    {
        await using var server = await StartAsync();
        var agent = await AddAgentAsync(server);
        var hub = server.Service<HubService>();
        await hub.ConnectedAsync(agent, CancellationToken.None);
        await hub.SetStatusAsync(agent, AgentStatus.Online, CancellationToken.None);

        var customer = await Customer.StartAsync(server);
        await customer.SayAsync("talk to a human");
        var entry = await WaitForEntryAsync(server, agent);
        Assert.Equal("support", entry.Queue);
        Assert.Equal("asked-for-human", entry.RuleId);
        Assert.Equal(EntryStatus.Offered, entry.Status); // auto-assigned: offered to the only online agent
        Assert.Equal(agent.Login, entry.Agent);
        Assert.Equal(customer.Key, entry.ConversationKey);

        await customer.ReadAsync();
        var accepted = await hub.AcceptAsync(agent, entry.Id, CancellationToken.None);
        Assert.Equal(EntryStatus.Assigned, accepted.Status);
        var joined = await customer.ReadAsync();
        Assert.Contains(joined, a => a.GetProperty("from").GetProperty("name").GetString() == "Sato" && a.GetProperty("text").GetString()!.Contains("Sato", StringComparison.Ordinal));

        // The bot stays silent while the agent has the conversation; the customer's line reaches the console.
        await customer.SayAsync("my parcel is broken");
        Assert.Empty(await customer.ReadAsync());
        await hub.SendAsync(agent, entry.Id, "Sorry to hear that — I'll send a new one.", CancellationToken.None);
        var fromAgent = Assert.Single(await customer.ReadAsync());
        Assert.Equal("Sorry to hear that — I'll send a new one.", fromAgent.GetProperty("text").GetString());
        Assert.Equal("Sato", fromAgent.GetProperty("from").GetProperty("name").GetString());
        var transcript = await server.Service<ServerConversationGateway>().ReadTranscriptAsync(entry.ConversationKey, CancellationToken.None);
        Assert.Contains(transcript, l => l.Role == "customer" && l.Text == "my parcel is broken");
        Assert.Contains(transcript, l => l.Role == "agent" && l.Name == "Sato");

        await hub.ReturnToBotAsync(agent, entry.Id, null, null, "Anything else, the assistant can help.", resolved: false, CancellationToken.None);
        Assert.Contains(await customer.ReadAsync(), a => a.GetProperty("text").GetString() == "Anything else, the assistant can help.");
        Assert.Empty(hub.ListOpen(agent));
        // An agent message after the return is refused: the engine state, not the console, owns the conversation.
        await Assert.ThrowsAsync<ScenarioKit.Hub.HubException>(() => hub.SendAsync(agent, entry.Id, "still there?", CancellationToken.None));

        await customer.SayAsync("hello");
        Assert.Contains(await customer.ReadAsync(), a => a.GetProperty("text").GetString() == "Hi! I'm the support assistant. What can I help you with?");
        var audit = await server.Service<ScenarioKit.Hub.Storage.IHubStore>().ReadAuditAsync(new(Actor: "sato"), CancellationToken.None);
        Assert.Equal(["status", "accept", "message", "return"], audit.Select(a => a.Action).Reverse().Where(a => a != "login"));
    }

    [Fact]
    public async Task With_no_agent_online_the_customer_gets_the_timeout_path_at_once_and_the_entry_is_recorded_unattended()
    {
        await using var server = await StartAsync();
        var supervisor = await AddAgentAsync(server, "boss", "Boss", AgentRole.Supervisor, "support");
        var customer = await Customer.StartAsync(server);
        await customer.SayAsync("talk to a human");
        var replies = await customer.ReadAsync();
        Assert.Contains(replies, a => a.GetProperty("type").GetString() == "message" && a.GetProperty("text").GetString() == "Sorry, no agent can take your chat right now. Please try again later.");
        await server.Service<HubConversationObserver>().DrainAsync();
        Assert.Empty(server.Service<HubService>().ListOpen(supervisor));
        var ended = await server.Service<ScenarioKit.Hub.Storage.IHubStore>().ListEndedEntriesAsync("reference-support", null, 10, CancellationToken.None);
        Assert.Equal(EntryStatus.Unattended, Assert.Single(ended).Status);
        // Still with the bot: it answers.
        await customer.SayAsync("hello");
        Assert.Contains(await customer.ReadAsync(), a => a.GetProperty("text").GetString() == "Hi! I'm the support assistant. What can I help you with?");
    }

    [Fact]
    public async Task A_waiting_customer_hears_their_position_and_gets_the_timeout_path_after_maxWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
        await using var server = await StartAsync(time: time);
        var hub = server.Service<HubService>();
        var pick = await AddAgentAsync(server);
        await hub.ConnectedAsync(pick, CancellationToken.None);
        await hub.SetStatusAsync(pick, AgentStatus.Online, CancellationToken.None);

        var first = await Customer.StartAsync(server, "dl_a", "A");
        await first.SayAsync("talk to a human");
        await WaitForEntryAsync(server, pick);
        var second = await Customer.StartAsync(server, "dl_b", "B");
        await second.SayAsync("talk to a human");
        Assert.Contains(Texts(await second.ReadAsync()), t => t.StartsWith("You are number 2 in the queue", StringComparison.Ordinal));
        await WaitForEntryAsync(server, pick, e => e.ConversationKey == second.Key);
        await second.SayAsync("hello? anyone?");
        Assert.Contains(Texts(await second.ReadAsync()), t => t.StartsWith("You are number 2 in the queue", StringComparison.Ordinal));

        // Advancing the fake clock also fires the server's own hub timer, which may run the timeout turns first:
        // the test ticks too, then waits for the answer whichever tick delivered it.
        time.Advance(TimeSpan.FromMinutes(11));
        await hub.TickAsync(CancellationToken.None);
        var afterTimeout = new List<string>();
        for (var i = 0; i < 100 && !afterTimeout.Contains("Sorry, no agent can take your chat right now. Please try again later."); i++)
        {
            afterTimeout.AddRange(Texts(await second.ReadAsync()));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.Contains("Sorry, no agent can take your chat right now. Please try again later.", afterTimeout);
        for (var i = 0; i < 100 && hub.ListOpen(pick).Count > 0; i++) await Task.Delay(20, TestContext.Current.CancellationToken);
        var ended = await server.Service<ScenarioKit.Hub.Storage.IHubStore>().ListEndedEntriesAsync("reference-support", null, 10, CancellationToken.None);
        Assert.All(ended, e => Assert.Equal(EntryStatus.TimedOut, e.Status));
        Assert.Equal(2, ended.Count);
    }
}
