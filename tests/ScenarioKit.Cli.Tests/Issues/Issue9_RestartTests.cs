using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Server.Tests.Agent;

namespace ScenarioKit.Cli.Tests.Issues;

/// <summary>
/// Issue 9, proof "Restart": one customer waiting and one in a live agent chat; the server is killed with SIGKILL
/// and started again on the same database. The queue, the assignment, the transcripts and the agent's session are
/// intact, and the live chat goes on both ways.
/// </summary>
public sealed class Issue9_RestartTests
{
    const string Secret = "restart-test-direct-line-secret-0123";
    const string Password = "correct-horse-battery";

    [Fact]
    public async Task A_killed_server_comes_back_with_its_queue_assignments_transcripts_and_sessions()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scenariokit-tests", "restart-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var db = Path.Combine(folder, "hub.db");
        var directory = new AgentDirectory(new SqliteHubStore(db), TimeProvider.System);
        await directory.AddAsync("sato", "佐藤", AgentRole.Agent, ["support"], Password, "test", maxChats: 1);

        var server = await StartAsync(db);
        try
        {
            var url = server.Url;
            var (agent, _) = await AgentSession.SignInAsync(url, "sato", Password);
            await agent.PostJsonAsync("/agent/api/status", new { status = "online" });

            var live = await Customer.StartAsync(url, "dl_live");
            await live.SayAsync("talk to a human");
            var liveEntry = await WaitAsync(agent, e => e.GetProperty("status").GetString() == "offered");
            await agent.PostJsonAsync($"/agent/api/entries/{liveEntry}/accept");
            await live.SayAsync("my parcel never came");
            await agent.PostJsonAsync($"/agent/api/entries/{liveEntry}/messages", new { text = "確認いたします。" });

            var waiting = await Customer.StartAsync(url, "dl_wait");
            await waiting.SayAsync("talk to a human");
            var waitingEntry = await WaitAsync(agent, e => e.GetProperty("status").GetString() == "waiting");
            var waitingKey = (await agent.GetJsonAsync($"/agent/api/entries/{waitingEntry}")).GetProperty("entry").GetProperty("conversationKey").GetString()!;

            server.Process.Kill(); // SIGKILL: no graceful shutdown, no flush beyond what each acknowledged write already made durable
            await server.Process.WaitForExitAsync(TestContext.Current.CancellationToken);
            server.Process.Dispose();

            server = await StartAsync(db, url);
            // The same cookie still signs the agent in (data-protection keys live beside the database).
            var snapshot = await agent.GetJsonAsync("/agent/api/snapshot");
            var entries = snapshot.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("status").GetString());
            Assert.Equal("assigned", entries[liveEntry]);
            // The waiting customer is still queued. Matched by conversation, not entry id: the console may list an entry
            // a moment before its row commits, and a kill in that moment re-queues the customer at start from the
            // logged handoff.initiate (HubClock), as a new entry.
            var byConversation = snapshot.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("conversationKey").GetString()!, e => e.GetProperty("status").GetString());
            Assert.Equal("waiting", byConversation[waitingKey]);
            var detail = await agent.GetJsonAsync($"/agent/api/entries/{liveEntry}");
            var lines = detail.GetProperty("transcript").EnumerateArray().Select(l => (l.GetProperty("role").GetString(), l.GetProperty("text").GetString())).ToList();
            Assert.Contains(("customer", "talk to a human"), lines);
            Assert.Contains(("customer", "my parcel never came"), lines);
            Assert.Contains(("agent", "確認いたします。"), lines);

            // The live chat continues both ways.
            await agent.PostJsonAsync($"/agent/api/entries/{liveEntry}/messages", new { text = "再送いたしました。" });
            Assert.Contains("再送いたしました。", await live.ReadTextsAsync());
            await live.SayAsync("ありがとう");
            var after = await agent.GetJsonAsync($"/agent/api/entries/{liveEntry}");
            Assert.Contains(after.GetProperty("transcript").EnumerateArray(), l => l.GetProperty("text").GetString() == "ありがとう");
            agent.Dispose();
        }
        finally
        {
            if (!server.Process.HasExited) server.Process.Kill();
            server.Process.Dispose();
        }
    }

    static async Task<string> WaitAsync(AgentSession agent, Func<JsonElement, bool> where)
    {
        for (var i = 0; i < 200; i++)
        {
            var snapshot = await agent.GetJsonAsync("/agent/api/snapshot");
            if (snapshot.GetProperty("entries").EnumerateArray().FirstOrDefault(where) is { ValueKind: JsonValueKind.Object } entry)
                return entry.GetProperty("id").GetString()!;
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        throw new Xunit.Sdk.XunitException("the entry did not appear in the console's snapshot");
    }

    sealed record Running(Process Process, Uri Url);

    static async Task<Running> StartAsync(string db, Uri? url = null)
    {
        var process = Process.Start(CliProcess.StartInfo(null, "serve", "scenarios/reference-support", "--db", db,
            "--urls", url?.ToString().TrimEnd('/') ?? "http://127.0.0.1:0", $"--ScenarioKit:DirectLineSecret={Secret}"))!;
        var listening = new Uri(await CliProcess.ReadListeningUrlAsync(process));
        // Keep draining output so the server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        return new Running(process, listening);
    }

    /// <summary>A Direct Line customer (REST polling), as Web Chat's polling mode.</summary>
    sealed class Customer(HttpClient http, string conversationId)
    {
        string? _watermark;

        public static async Task<Customer> StartAsync(Uri url, string user)
        {
            var http = new HttpClient { BaseAddress = url };
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + Secret);
            using var started = await http.PostAsync(new Uri("/v3/directline/conversations", UriKind.Relative), new StringContent(JsonSerializer.Serialize(new { user = new { id = user } }), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            var id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("conversationId").GetString()!;
            return new Customer(http, id);
        }

        public async Task SayAsync(string text)
        {
            using var response = await http.PostAsync(new Uri($"/v3/directline/conversations/{conversationId}/activities", UriKind.Relative),
                new StringContent(JsonSerializer.Serialize(new { type = "message", text, from = new { id = "customer" } }), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        public async Task<List<string>> ReadTextsAsync()
        {
            var body = await http.GetStringAsync(new Uri($"/v3/directline/conversations/{conversationId}/activities?watermark={_watermark}", UriKind.Relative));
            var page = JsonDocument.Parse(body).RootElement;
            _watermark = page.GetProperty("watermark").GetString();
            return [.. page.GetProperty("activities").EnumerateArray().Where(a => a.GetProperty("type").GetString() == "message" && a.TryGetProperty("text", out _)).Select(a => a.GetProperty("text").GetString()!)];
        }
    }
}
