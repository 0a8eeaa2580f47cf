using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.LoadTest;

/// <summary>
/// Cross-node stream latency (docs/performance.md, "PostgreSQL and several nodes"): two in-process servers on one
/// PostgreSQL. For each conversation a Direct Line WebSocket is opened on node A and "hello" is posted on node B (then,
/// as the baseline, on node A): the time from sending the POST to the bot's reply arriving on A's socket. The reply
/// reaches A only through B's NOTIFY at commit, A's LISTEN connection and the conversation feed.
/// </summary>
static class StreamLatency
{
    const string Secret = "stream-latency-direct-line-secret";

    public static async Task<int> RunAsync(Program.Options options)
    {
        var tempDir = Path.Combine(Path.GetTempPath(), "scenariokit-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(tempDir);
        var nodes = new List<ScenarioServer>();
        for (var i = 0; i < 2; i++)
        {
            var node = Program.CreateServer(options, tempDir, o => o.DirectLineSecret = Secret);
            await node.StartAsync();
            nodes.Add(node);
        }
        var (a, b) = (nodes[0].Urls.Single(), nodes[1].Urls.Single());
        using var http = new HttpClient();
        var cross = new List<double>();
        var same = new List<double>();
        var afterAnswer = new List<double>();
        Console.WriteLine($"stream on {a}, posts on {b} (cross-node) and on {a} (same node), {options.Conversations} conversations each, {Environment.ProcessorCount} cores");
        for (var i = 0; i < options.Conversations + 10; i++)
        {
            var measured = i >= 10; // the first conversations warm the JIT and the pools
            var (id, token, stream) = await StartAsync(http, a);
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(stream), CancellationToken.None);
            foreach (var (target, into) in new[] { (b, cross), (a, same) })
            {
                var started = Stopwatch.GetTimestamp();
                var post = PostAsync(http, target, id, token, "hello");
                var (replyTo, at) = await ReceiveBotMessageAsync(socket);
                var arrived = Stopwatch.GetElapsedTime(started, at).TotalMilliseconds;
                var (posted, answered) = await post;
                if (replyTo != posted) throw new InvalidOperationException($"the socket's next reply answers {replyTo}, not the posted {posted}");
                if (!measured) continue;
                into.Add(arrived);
                if (into == cross) afterAnswer.Add(arrived - answered);
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        Report("cross-node (post on B, socket on A)", cross);
        Report("same node  (post on A, socket on A)", same);
        Report("cross-node, after B's POST answered", afterAnswer);
        foreach (var node in nodes)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }
        try { Directory.Delete(tempDir, recursive: true); } catch (IOException) { }
        return 0;
    }

    static void Report(string label, List<double> values)
    {
        var sorted = values.Order().ToArray();
        double Pct(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: n {sorted.Length}  p50 {Pct(50):F2} ms  p90 {Pct(90):F2} ms  p99 {Pct(99):F2} ms  max {sorted[^1]:F2} ms"));
    }

    static async Task<(string Id, string Token, string Stream)> StartAsync(HttpClient http, Uri node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "v3/directline/conversations")) { Content = new StringContent("""{"user":{"id":"u"}}""", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Secret);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("conversationId").GetString()!, body.GetProperty("token").GetString()!, body.GetProperty("streamUrl").GetString()!);
    }

    static async Task<(string Id, double Elapsed)> PostAsync(HttpClient http, Uri node, string id, string token, string text)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, $"v3/directline/conversations/{id}/activities"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { type = "message", text, from = new { id = "u" } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var posted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        return (posted, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Reads the socket until a bot message arrives: what it replies to, and when it came.</summary>
    static async Task<(string? ReplyTo, long At)> ReceiveBotMessageAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
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
            var at = Stopwatch.GetTimestamp();
            if (message.Length == 0) continue;
            foreach (var activity in JsonDocument.Parse(message.ToArray()).RootElement.GetProperty("activities").EnumerateArray())
            {
                if (activity.GetProperty("from").GetProperty("id").GetString() == "u") continue;
                return (activity.TryGetProperty("replyToId", out var r) ? r.GetString() : null, at);
            }
        }
    }
}
