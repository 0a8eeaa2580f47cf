using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.LoadTest;

/// <summary>
/// The agent hub across two nodes (docs/performance.md, "Agent hub on several nodes"): two in-process servers on one
/// PostgreSQL, one of them leading the hub. An agent's console (SignalR, as the page opens it) is on one node; a customer
/// who handed off writes on the other; each line is timed from sending its Direct Line POST to its <c>line</c> push
/// arriving at the console. Both directions are measured: console on the follower (the leader pushes locally and
/// relays over NOTIFY), and console on the leader (the follower forwards the line to it over NOTIFY); then, as the
/// baseline on the same machine, console and lines both on the leader.
/// </summary>
static partial class HubLatency
{
    const string Secret = "hub-latency-direct-line-secret-0123";
    const string Password = "hub-latency-password";

    public static async Task<int> RunAsync(Program.Options options)
    {
        var tempDir = Path.Combine(Path.GetTempPath(), "scenariokit-hublatency-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(tempDir);
        // Migrates the schema first, as `scenariokit agents add` does on a fresh database.
        var store = await ServerStorage.OpenHubStoreAsync(new ScenarioServerOptions { Storage = { Provider = StorageProvider.Postgres, ConnectionString = options.Postgres } }, CancellationToken.None);
        var login = "bench-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await new AgentDirectory(store, TimeProvider.System).AddAsync(login, "Bench 担当", AgentRole.Agent, [AgentAccount.AllQueues], Password, "loadtest", 25);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
        {
            var nodes = new List<ScenarioServer>();
            for (var i = 0; i < 2; i++)
            {
                var node = ScenarioServer.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], o =>
                {
                    o.Sources.Add(Program.FindScenario(options));
                    o.DatabasePath = Path.Combine(tempDir, "unused.db");
                    o.DirectLineSecret = Secret;
                    o.Storage.Provider = StorageProvider.Postgres;
                    o.Storage.ConnectionString = options.Postgres;
                    o.Handoff.Mode = HandoffMode.Hub;
                });
                await node.StartAsync();
                nodes.Add(node);
            }
            var (a, b) = (nodes[0].Urls.Single(), nodes[1].Urls.Single());
            using var http = new HttpClient();
            var leader = await LeaderAsync(http, a, b);
            var follower = leader == a ? b : a;
            Console.WriteLine($"leader {leader}, follower {follower}, {options.Conversations} lines per direction, {Environment.ProcessorCount} cores");
            await MeasureAsync("console on the follower, lines posted on the leader", console: follower, customer: leader, login, options.Conversations);
            await MeasureAsync("console on the leader, lines posted on the follower", console: leader, customer: follower, login, options.Conversations);
            await MeasureAsync("console and lines on the leader (baseline: no hop)", console: leader, customer: leader, login, options.Conversations);
            foreach (var node in nodes)
            {
                await node.StopAsync();
                await node.DisposeAsync();
            }
        }
        try { Directory.Delete(tempDir, recursive: true); } catch (IOException) { }
        return 0;
    }

    static async Task<Uri> LeaderAsync(HttpClient http, Uri a, Uri b)
    {
        for (var i = 0; i < 300; i++)
        {
            if ((await http.GetStringAsync(new Uri(a, "readyz"))).Contains("hub: leader", StringComparison.Ordinal)) return a;
            if ((await http.GetStringAsync(new Uri(b, "readyz"))).Contains("hub: leader", StringComparison.Ordinal)) return b;
            await Task.Delay(100);
        }
        throw new TimeoutException("No node took the lead of the agent hub.");
    }

    static async Task MeasureAsync(string label, Uri console, Uri customer, string login, int lines)
    {
        var cookies = new CookieContainer();
        using var agent = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = console };
        var page = await agent.GetStringAsync("agent/login");
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login, ["password"] = Password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(FormToken().Match(page).Groups[1].Value), ["returnUrl"] = "/agent" }))
        using (var signedIn = await agent.PostAsync("agent/login", form))
        {
            if (signedIn.Headers.Location?.ToString() != "/agent") throw new InvalidOperationException($"sign-in: HTTP {(int)signedIn.StatusCode} → {signedIn.Headers.Location}");
        }
        var csrf = (await agent.GetFromJsonAsync<JsonElement>("agent/api/antiforgery")).GetProperty("token").GetString()!;
        agent.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf);

        var heard = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var offers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(console, "agent/hub"), o => { o.Cookies = cookies; o.SkipNegotiation = true; o.Transports = HttpTransportType.WebSockets; })
            .Build();
        hub.On<JsonElement>("line", e => heard.TryAdd(e.GetProperty("line").GetProperty("text").GetString()!, Stopwatch.GetTimestamp()));
        hub.On<JsonElement>("offered", e => offers[e.GetProperty("conversationId").GetString()!] = e.GetProperty("id").GetString()!);
        await hub.StartAsync();
        (await agent.PostAsJsonAsync("agent/api/status", new { status = "online" })).EnsureSuccessStatusCode();

        var (id, token) = await StartConversationAsync(customer);
        using var directLine = new HttpClient { BaseAddress = customer };
        directLine.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await PostAsync(directLine, id, "talk to a human");
        var entry = await UntilAsync(() => offers.GetValueOrDefault(id), "the offer");
        (await agent.PostAsync($"agent/api/entries/{entry}/accept", null)).EnsureSuccessStatusCode();

        var latencies = new List<double>();
        for (var i = 0; i < lines + 10; i++)
        {
            var text = $"荷物が届きません {i} ({id})";
            var started = Stopwatch.GetTimestamp();
            await PostAsync(directLine, id, text);
            var at = await UntilAsync(() => heard.TryGetValue(text, out var t) ? t : (long?)null, "the line push");
            if (i >= 10) latencies.Add(Stopwatch.GetElapsedTime(started, at.GetValueOrDefault()).TotalMilliseconds); // the first lines warm the JIT and the pools
        }
        (await agent.PostAsJsonAsync($"agent/api/entries/{entry}/resolve", new { })).EnsureSuccessStatusCode();
        var sorted = latencies.Order().ToArray();
        double Pct(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: n {sorted.Length}  p50 {Pct(50):F2} ms  p90 {Pct(90):F2} ms  p99 {Pct(99):F2} ms  max {sorted[^1]:F2} ms"));
    }

    static async Task<T> UntilAsync<T>(Func<T?> probe, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (probe() is { } found) return found;
            await Task.Delay(1);
        }
        throw new TimeoutException($"No {what} within 30 s.");
    }

    static async Task<(string Id, string Token)> StartConversationAsync(Uri node)
    {
        using (var http = new HttpClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "v3/directline/conversations")) { Content = new StringContent("""{"user":{"id":"u"}}""", Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Secret);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return (body.GetProperty("conversationId").GetString()!, body.GetProperty("token").GetString()!);
        }
    }

    static async Task PostAsync(HttpClient directLine, string id, string text)
    {
        using var response = await directLine.PostAsJsonAsync($"v3/directline/conversations/{id}/activities", new { type = "message", text, from = new { id = "u" } });
        response.EnsureSuccessStatusCode();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
