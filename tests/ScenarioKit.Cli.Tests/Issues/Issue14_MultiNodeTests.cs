using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Tests.Shared;

[assembly: AssemblyFixture(typeof(PostgresTestServer))]

namespace ScenarioKit.Cli.Tests.Issues;

/// <summary>
/// Issue 14, "any node takes any turn": two real <c>scenariokit serve</c> processes on one PostgreSQL, no sticky sessions.
/// One node is configured through <c>ScenarioKit__Storage__*</c> environment variables, the other through
/// <c>--ScenarioKit:Storage:*</c> flags.
/// </summary>
public sealed class Issue14_MultiNodeTests(PostgresTestServer postgres)
{
    const string Secret = "multi-node-direct-line-secret-0123";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Posts_alternating_between_nodes_reach_a_WebSocket_on_one_node_every_reply_in_order()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var a = await Node.StartAsync(database, "scenarios/reference-support", viaEnvironment: true);
        await using var b = await Node.StartAsync(database, "scenarios/reference-support", viaEnvironment: false);
        var (id, token, streamUrl) = await a.StartConversationAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(streamUrl), Ct);
        var heard = new List<JsonElement>();

        string[] inputs = ["hello", "where is my order", "abc", "12345678", "returns", "where is my order", "87654321"];
        var latencies = new List<double>();
        for (var i = 0; i < inputs.Length; i++)
        {
            var node = i % 2 == 0 ? b : a;
            var before = await node.ReadLogAsync(id, token);
            await node.PostAsync(id, token, inputs[i]);
            var posted = Stopwatch.StartNew();
            var turn = (await node.ReadLogAsync(id, token)).Skip(before.Count).Select(Id).ToList();
            // Each receive waits at most 5 s, a third of the 15 s keep-alive: only the other node's announcement can wake the stream in time.
            while (!turn.All(t => heard.Select(Id).Contains(t)))
                heard.AddRange(await ReceiveActivitiesAsync(socket));
            latencies.Add(posted.Elapsed.TotalMilliseconds);
        }

        var log = await b.ReadLogAsync(id, token);
        Assert.Equal(log.Select(Id), heard.Select(Id));
        var botTexts = heard.Where(h => h.GetProperty("from").GetProperty("id").GetString() != "u1").Select(h => h.GetProperty("text").GetString()).ToList();
        Assert.Contains("Sure. Please type your 8-digit order number.", botTexts);
        Assert.Contains("That doesn't look like an 8-digit order number. Please try again (retry 1 of 2).", botTexts);
        Assert.Contains("Order 12345678: shipped on 2 June, arriving 5 June.", botTexts);
        Assert.Contains("Order 87654321: being prepared for shipping.", botTexts);
        TestContext.Current.SendDiagnosticMessage($"cross-node stream latency after the POST returned, ms: {string.Join(", ", latencies.Select(l => l.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Ct);
    }

    [Fact]
    public async Task A_node_killed_mid_conversation_loses_nothing_and_the_other_node_goes_on()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var a = await Node.StartAsync(database, "scenarios/reference-support", viaEnvironment: true);
        await using var b = await Node.StartAsync(database, "scenarios/reference-support", viaEnvironment: false);
        var (id, token, _) = await a.StartConversationAsync();
        await a.PostAsync(id, token, "where is my order");
        await b.PostAsync(id, token, "abc");

        a.Kill(); // SIGKILL: what a acknowledged is committed; nothing else is needed from it

        await b.PostAsync(id, token, "12345678");
        var texts = (await b.ReadLogAsync(id, token)).Select(x => x.GetProperty("text").GetString()).ToList();
        Assert.Equal(
        [
            "where is my order", "Sure. Please type your 8-digit order number.",
            "abc", "That doesn't look like an 8-digit order number. Please try again (retry 1 of 2).",
            "12345678", "Order 12345678: shipped on 2 June, arriving 5 June.", "Anything else?",
        ], texts);
        var seqs = (await b.ReadLogAsync(id, token)).Select(x => long.Parse(Id(x)[(Id(x).LastIndexOf('|') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task A_version_deployed_to_one_node_is_served_by_both_and_conversations_stay_on_their_version()
    {
        var database = await postgres.CreateDatabaseAsync();
        var folder = Path.Combine(Path.GetTempPath(), "scenariokit-tests", "nodes-" + Guid.NewGuid().ToString("N")[..8]);
        var (folderA, folderB) = (Path.Combine(folder, "a"), Path.Combine(folder, "b"));
        Directory.CreateDirectory(folderA);
        Directory.CreateDirectory(folderB);
        var compiled = ScenarioKit.Language.ScenarioCompiler.Compile(Path.Combine(RepoPaths.Root, "scenarios", "reference-support"));
        Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
        var v1 = compiled.Package!;
        var v2 = ScenarioKit.Model.PackageFormat.CreatePackage(v1.Model with
        {
            Version = "2.0.0",
            Fallback = v1.Model.Fallback! with { Variations = [v1.Model.Fallback.Variations[0] with { Source = "v2 fallback", Parts = [new ScenarioKit.Model.TemplatePart("v2 fallback", null)] }] },
        }, "test");
        ScenarioKit.Model.PackageFormat.WriteFile(v1, Path.Combine(folderA, "reference-1.skpkg"));
        ScenarioKit.Model.PackageFormat.WriteFile(v1, Path.Combine(folderB, "reference-1.skpkg"));
        await using var a = await Node.StartAsync(database, folderA, viaEnvironment: true, "--ScenarioKit:PackageRescanInterval=00:00:00.2");
        await using var b = await Node.StartAsync(database, folderB, viaEnvironment: false);
        var onV1 = await a.StartConversationAsync();
        var v1Fallback = await a.SayAsync(onV1, "blorp");
        Assert.NotEqual("v2 fallback", v1Fallback);

        ScenarioKit.Model.PackageFormat.WriteFile(v2, Path.Combine(folderA, "reference-2.skpkg"));
        (string Id, string Token, string StreamUrl) onV2 = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            onV2 = await a.StartConversationAsync();
            if (await a.SayAsync(onV2, "blorp") == "v2 fallback") break;
            onV2 = default;
            await Task.Delay(100, Ct);
        }
        Assert.NotNull(onV2.Id);

        // b never had 2.0.0 in its folder: it restores the version from the archive in the database for that conversation.
        Assert.Equal("v2 fallback", await b.SayAsync(onV2, "blorp"));
        Assert.Equal(v1Fallback, await b.SayAsync(onV1, "blorp"));
        Assert.Equal(v1Fallback, await a.SayAsync(onV1, "blorp"));
        Assert.Equal("v2 fallback", await a.SayAsync(onV2, "blorp"));
    }

    /// <summary>
    /// The hub runs where the agent's console is (node A, see docs/deploy.md "Limits"): a customer line posted on node B is
    /// in the agent's transcript on A, and the agent's answer from A reaches the customer reading node B.
    /// </summary>
    [Fact]
    public async Task An_agent_on_one_node_reads_customer_lines_posted_on_the_other_and_answers_through_it()
    {
        const string Password = "correct-horse-battery";
        var database = await postgres.CreateDatabaseAsync();
        await using (var store = new ScenarioKit.Hub.Storage.PostgreSql.PostgresHubStore(database))
            await new ScenarioKit.Hub.Accounts.AgentDirectory(store, TimeProvider.System).AddAsync("sato", "佐藤", ScenarioKit.Hub.Accounts.AgentRole.Agent, ["support"], Password, "test", cancellationToken: Ct);
        await using var a = await Node.StartAsync(database, "scenarios/reference-support", viaEnvironment: true);
        await using var b = await Node.StartAsync(database, "scenarios/reference-support", viaEnvironment: false);
        using var agent = (await ScenarioKit.Server.Tests.Agent.AgentSession.SignInAsync(a.Url, "sato", Password)).Session;
        await agent.PostJsonAsync("/agent/api/status", new { status = "online" });
        var (id, token, _) = await a.StartConversationAsync();
        await a.PostAsync(id, token, "talk to a human");
        string? entry = null;
        for (var i = 0; i < 200 && entry is null; i++)
        {
            var snapshot = await agent.GetJsonAsync("/agent/api/snapshot");
            entry = snapshot.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("status").GetString() == "offered").Select(e => e.GetProperty("id").GetString()).FirstOrDefault();
            if (entry is null) await Task.Delay(25, Ct);
        }
        Assert.NotNull(entry);
        await agent.PostJsonAsync($"/agent/api/entries/{entry}/accept");

        await b.PostAsync(id, token, "荷物が届きません");
        var transcript = (await agent.GetJsonAsync($"/agent/api/entries/{entry}")).GetProperty("transcript").EnumerateArray()
            .Select(l => (l.GetProperty("role").GetString(), l.GetProperty("text").GetString())).ToList();
        Assert.Contains(("customer", "荷物が届きません"), transcript);
        await agent.PostJsonAsync($"/agent/api/entries/{entry}/messages", new { text = "確認いたします。" });
        Assert.Equal("確認いたします。", (await b.ReadLogAsync(id, token))[^1].GetProperty("text").GetString());
    }

    /// <summary>
    /// One agent hub for both nodes (docs/deploy.md, "Several nodes"): the agent's console and REST calls are on the
    /// follower, the customer starts on the leader and writes through both; then the leader is killed and the follower
    /// takes the hub over from the store with the agent still online.
    /// </summary>
    [Fact]
    public async Task The_hub_spans_both_nodes_and_goes_on_through_the_other_when_its_leader_is_killed()
    {
        const string Password = "correct-horse-battery";
        var database = await postgres.CreateDatabaseAsync();
        await using (var store = new ScenarioKit.Hub.Storage.PostgreSql.PostgresHubStore(database))
            await new ScenarioKit.Hub.Accounts.AgentDirectory(store, TimeProvider.System).AddAsync("sato", "佐藤", ScenarioKit.Hub.Accounts.AgentRole.Agent, ["support"], Password, "test", cancellationToken: Ct);
        // Started together: they agree on one sign-in key and one leader.
        var starting = new[] { Node.StartAsync(database, "scenarios/reference-support", viaEnvironment: true), Node.StartAsync(database, "scenarios/reference-support", viaEnvironment: false) };
        await Task.WhenAll(starting).ContinueWith(_ => { }, TaskScheduler.Default);
        await using var one = await starting[0];
        await using var two = await starting[1];
        var (leader, follower) = await LeaderOfAsync(one, two);

        // Signed in on the leader; the cookie and the anti-forgery token are good on the follower too (keys in the database).
        using var signedIn = (await ScenarioKit.Server.Tests.Agent.AgentSession.SignInAsync(leader.Url, "sato", Password)).Session;
        Assert.Equal("sato", (await signedIn.GetJsonAsync("/agent/api/me")).GetProperty("login").GetString());
        using var agent = signedIn.At(follower.Url);
        Assert.Equal("佐藤", (await agent.GetJsonAsync("/agent/api/me")).GetProperty("displayName").GetString());
        await using var console = await ConsoleEvents.ConnectAsync(follower.Url, agent.Cookies);
        await agent.PostJsonAsync("/agent/api/status", new { status = "online" });

        var (id, token, streamUrl) = await leader.StartConversationAsync();
        using var customer = new ClientWebSocket();
        await customer.ConnectAsync(new Uri(streamUrl), Ct);
        await follower.PostAsync(id, token, "talk to a human");
        var offered = await console.NextAsync("offered", e => e.GetProperty("conversationId").GetString() == id);
        var entry = offered.GetProperty("id").GetString()!;
        Assert.Equal("佐藤", offered.GetProperty("agentName").GetString());
        Assert.Equal("assigned", (await agent.PostJsonAsync($"/agent/api/entries/{entry}/accept")).GetProperty("status").GetString());

        await follower.PostAsync(id, token, "荷物が届きません");
        await leader.PostAsync(id, token, "order 12345678");
        await console.NextAsync("line", e => e.GetProperty("entryId").GetString() == entry && e.GetProperty("line").GetProperty("text").GetString() == "荷物が届きません");
        await console.NextAsync("line", e => e.GetProperty("entryId").GetString() == entry && e.GetProperty("line").GetProperty("text").GetString() == "order 12345678");

        await agent.PostJsonAsync($"/agent/api/entries/{entry}/messages", new { text = "確認いたします。" });
        await ReceiveUntilAsync(customer, "確認いたします。");
        Assert.Equal("returnedToBot", (await agent.PostJsonAsync($"/agent/api/entries/{entry}/return", new { })).GetProperty("status").GetString());

        leader.Kill(); // SIGKILL: the lock's session ends with the process

        var (id2, token2, _) = await follower.StartConversationAsync();
        await follower.PostAsync(id2, token2, "talk to a human");
        var second = (await console.NextAsync("offered", e => e.GetProperty("conversationId").GetString() == id2, TimeSpan.FromSeconds(60))).GetProperty("id").GetString()!;
        Assert.Contains("hub: leader", await follower.ReadyAsync(), StringComparison.Ordinal);
        Assert.Equal("assigned", (await agent.PostJsonAsync($"/agent/api/entries/{second}/accept")).GetProperty("status").GetString());
        await using (var store = new ScenarioKit.Hub.Storage.PostgreSql.PostgresHubStore(database))
        {
            Assert.Equal(ScenarioKit.Hub.Queue.EntryStatus.ReturnedToBot, (await store.GetEntryAsync(entry, Ct))!.Status);
            Assert.Equal(ScenarioKit.Hub.Queue.EntryStatus.Assigned, (await store.GetEntryAsync(second, Ct))!.Status);
        }
    }

    /// <summary>Waits until one of the nodes reports in /readyz that it leads the hub: (leader, follower).</summary>
    static async Task<(Node Leader, Node Follower)> LeaderOfAsync(Node a, Node b)
    {
        for (var i = 0; i < 300; i++)
        {
            if ((await a.ReadyAsync()).Contains("hub: leader", StringComparison.Ordinal)) return (a, b);
            if ((await b.ReadyAsync()).Contains("hub: leader", StringComparison.Ordinal)) return (b, a);
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("No node took the lead of the agent hub within 30 s.");
    }

    static async Task ReceiveUntilAsync(ClientWebSocket socket, string text)
    {
        while (true)
        {
            if ((await ReceiveActivitiesAsync(socket)).Any(a => a.TryGetProperty("text", out var t) && t.GetString() == text)) return;
        }
    }

    /// <summary>An agent console's SignalR connection as the page opens it (WebSockets, no negotiate), recording every push.</summary>
    sealed class ConsoleEvents : IAsyncDisposable
    {
        readonly HubConnection _connection;
        readonly Channel<(string Name, JsonElement Body)> _events = Channel.CreateUnbounded<(string, JsonElement)>();
        readonly List<(string Name, JsonElement Body)> _seen = [];

        ConsoleEvents(HubConnection connection)
        {
            _connection = connection;
            foreach (var name in new[] { "offered", "line", "queueChanged", "presence", "typing", "note", "tickets" })
                connection.On<JsonElement>(name, body => _events.Writer.TryWrite((name, body)));
        }

        public static async Task<ConsoleEvents> ConnectAsync(Uri node, CookieContainer cookies)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(node, "/agent/hub"), o =>
                {
                    o.Cookies = cookies;
                    o.SkipNegotiation = true;
                    o.Transports = HttpTransportType.WebSockets;
                })
                .Build();
            var events = new ConsoleEvents(connection);
            await connection.StartAsync(Ct);
            return events;
        }

        /// <summary>The first push named <paramref name="name"/> that matches, received or still to come.</summary>
        public async Task<JsonElement> NextAsync(string name, Func<JsonElement, bool> match, TimeSpan? within = null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(within ?? TimeSpan.FromSeconds(20));
            while (true)
            {
                foreach (var seen in _seen)
                    if (seen.Name == name && match(seen.Body)) return seen.Body;
                try
                {
                    _seen.Add(await _events.Reader.ReadAsync(timeout.Token));
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                    throw new TimeoutException($"No matching '{name}' push; heard: {string.Join(", ", _seen.Select(s => s.Name + " " + s.Body.GetRawText()))}");
                }
            }
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }

    [Fact]
    public async Task Serve_on_postgres_without_a_connection_string_stops_naming_the_setting()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("serve", Path.Combine(RepoPaths.Root, "scenarios", "reference-support"), "--db", temp.Combine("x.db"), "--ScenarioKit:Storage:Provider=postgres");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("ScenarioKit:Storage:ConnectionString", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Combine("x.db")));
    }

    [Fact]
    public async Task Serve_on_an_unreachable_postgres_stops_naming_where_it_looked_but_not_the_password()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("serve", Path.Combine(RepoPaths.Root, "scenarios", "reference-support"), "--urls", "http://127.0.0.1:0", "--db", temp.Combine("x.db"),
            "--ScenarioKit:Storage:Provider=postgres", "--ScenarioKit:Storage:ConnectionString", "Host=127.0.0.1;Port=1;Database=shop;Username=bot;Password=s3cret-pw;Timeout=3");

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("PostgreSQL 127.0.0.1:1 database 'shop' as 'bot'", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", run.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", run.Out, StringComparison.Ordinal);
    }

    static string Id(JsonElement activity) => activity.GetProperty("id").GetString()!;

    static async Task<List<JsonElement>> ReceiveActivitiesAsync(ClientWebSocket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            if (message.Length == 0) continue; // keep-alive
            return [.. JsonDocument.Parse(message.ToArray()).RootElement.GetProperty("activities").EnumerateArray().Select(e => e.Clone())];
        }
    }

    /// <summary>One <c>scenariokit serve</c> process on the shared database.</summary>
    sealed class Node(Process process, HttpClient http, string folder) : IAsyncDisposable
    {
        public static async Task<Node> StartAsync(string connectionString, string source, bool viaEnvironment, params string[] extra)
        {
            var folder = Path.Combine(Path.GetTempPath(), "scenariokit-tests", "node-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(folder);
            // --db only places the console's key folder: with the postgres provider no SQLite file is made.
            List<string> args = ["serve", source, "--db", Path.Combine(folder, "unused.db"), "--urls", "http://127.0.0.1:0", $"--ScenarioKit:DirectLineSecret={Secret}", .. extra];
            Dictionary<string, string?>? environment = null;
            if (viaEnvironment)
                environment = new() { ["ScenarioKit__Storage__Provider"] = "postgres", ["ScenarioKit__Storage__ConnectionString"] = connectionString };
            else
                args.AddRange(["--ScenarioKit:Storage:Provider=postgres", "--ScenarioKit:Storage:ConnectionString", connectionString]);
            var process = Process.Start(CliProcess.StartInfo(environment, [.. args]))!;
            string url;
            try
            {
                // Several servers start at once here (two per test): on a busy CI machine that takes longer than one.
                url = await CliProcess.ReadListeningUrlAsync(process, TimeSpan.FromMinutes(3));
            }
            catch
            {
                process.Kill();
                process.Dispose();
                throw;
            }
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            Assert.False(File.Exists(Path.Combine(folder, "unused.db")));
            var http = new HttpClient { BaseAddress = new Uri(url) };
            return new Node(process, http, folder);
        }

        public Uri Url => http.BaseAddress!;

        public async Task<(string Id, string Token, string StreamUrl)> StartConversationAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations") { Content = Json(new { user = new { id = "u1" } }) };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Secret);
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
            return (body.GetProperty("conversationId").GetString()!, body.GetProperty("token").GetString()!, body.GetProperty("streamUrl").GetString()!);
        }

        public async Task PostAsync(string id, string token, string text)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{id}/activities") { Content = Json(new { type = "message", text, from = new { id = "u1" } }) };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        /// <summary>Posts and returns the first reply to it.</summary>
        public async Task<string?> SayAsync((string Id, string Token, string StreamUrl) conversation, string text)
        {
            var before = (await ReadLogAsync(conversation.Id, conversation.Token)).Count;
            await PostAsync(conversation.Id, conversation.Token, text);
            return (await ReadLogAsync(conversation.Id, conversation.Token)).Skip(before + 1).FirstOrDefault() is { ValueKind: JsonValueKind.Object } reply
                ? reply.GetProperty("text").GetString() : null;
        }

        public async Task<List<JsonElement>> ReadLogAsync(string id, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{id}/activities");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("activities").EnumerateArray().Select(e => e.Clone())];
        }

        public async Task<string> ReadyAsync()
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), Ct);
            return await response.Content.ReadAsStringAsync(Ct);
        }

        public void Kill()
        {
            process.Kill();
            process.WaitForExit();
        }

        static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

        public ValueTask DisposeAsync()
        {
            if (!process.HasExited) Kill();
            process.Dispose();
            http.Dispose();
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
            return ValueTask.CompletedTask;
        }
    }
}
