using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace ScenarioKit.LoadTest;

/// <summary>What one closed-loop run measured.</summary>
/// <param name="ByTurnMs">The same latencies split by the turn's place in the conversation (sorted, one array per turn).</param>
sealed record LoadResult(string Target, long Turns, TimeSpan Wall, double[] LatenciesMs, double[][] ByTurnMs, long Errors, string? FirstError, ProcessCost Cost)
{
    public double TurnsPerSecond => Turns / Wall.TotalSeconds;

    public double Percentile(double p) => Percentile(LatenciesMs, p);

    static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1))];

    public void Print(bool cpuIsServer)
    {
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ci, $"turns measured   {Turns}"));
        Console.WriteLine(string.Create(ci, $"turns/s          {TurnsPerSecond:F0}"));
        Console.WriteLine(string.Create(ci, $"latency ms       p50 {Percentile(50):F2}  p90 {Percentile(90):F2}  p99 {Percentile(99):F2}  max {(LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1]):F2}"));
        Console.WriteLine("by turn p50/p99  " + string.Join("  ", ByTurnMs.Select((t, i) => string.Create(ci, $"{i + 1}: {Percentile(t, 50):F2}/{Percentile(t, 99):F2}"))));
        Console.WriteLine(string.Create(ci, $"process CPU      {Cost.Cpu.TotalMilliseconds * 1000 / Math.Max(1, Turns):F0} µs per turn ({(cpuIsServer ? "server and load generator together" : "load generator only")}), {Cost.Cpu.TotalSeconds / Wall.TotalSeconds:F2} cores busy"));
        Cost.Print(Turns);
        Console.WriteLine(string.Create(ci, $"errors           {Errors}{(FirstError is null ? "" : " — first: " + FirstError)}"));
    }
}

/// <summary>
/// The closed loop: C keep-alive connections, each posting one conversation's turns one after the other (the next
/// turn is sent when the previous answer arrived), then starting a new conversation. A wrong answer is an error and
/// ends that conversation. Only the turns answered inside the measured window count; errors count from the
/// start (warm-up included): a wrong answer is never acceptable.
/// </summary>
static class ClosedLoop
{
    const int TurnSlots = 8;

    /// <summary>Checks the answer to turn <c>turn</c> (0-based) of a conversation; null when it is right.</summary>
    public delegate string? Check(int turn, byte[] request, byte[] body);

    /// <param name="sample">Called every <paramref name="samplePeriod"/> of the measured window with the time since it began.</param>
    /// <param name="window">Started and stopped with the measured window (samplers of the runtime's events).</param>
    public static Task<LoadResult> RunAsync(
        string target, string url, Program.Options options, Check check,
        Action<TimeSpan>? sample = null, TimeSpan samplePeriod = default, IMeasuredWindow? window = null) =>
        RunAsync(target, [url], options, check, sample, samplePeriod, window);

    /// <summary>The same loop over several servers: turn <c>n</c> of every conversation goes to <c>urls[n % count]</c> (any node takes any turn).</summary>
    public static async Task<LoadResult> RunAsync(
        string target, IReadOnlyList<string> urls, Program.Options options, Check check,
        Action<TimeSpan>? sample = null, TimeSpan samplePeriod = default, IMeasuredWindow? window = null)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var endpoints = urls.Select(u => new Uri(u.TrimEnd('/') + "/api/messages")).ToArray();

        var run = Guid.NewGuid().ToString("N")[..6];
        long nextConversation = 0;
        long errors = 0;
        string? firstError = null;
        var measuring = false;
        var stop = false;
        var latencies = new List<long>[options.Connections];

        async Task Worker(int index)
        {
            var mine = latencies[index] = new List<long>(1 << 16);
            while (!Volatile.Read(ref stop))
            {
                var k = Interlocked.Increment(ref nextConversation);
                for (var turn = 0; turn < Program.UserTurns.Length && !Volatile.Read(ref stop); turn++)
                {
                    var request = Program.UserActivity($"{run}-{k}", turn);
                    using var content = new ByteArrayContent(request);
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    var started = Stopwatch.GetTimestamp();
                    string? problem;
                    try
                    {
                        using var response = await http.PostAsync(endpoints[turn % endpoints.Length], content);
                        var body = await response.Content.ReadAsByteArrayAsync();
                        problem = response.StatusCode == HttpStatusCode.OK ? check(turn, request, body) : $"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}";
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // Refused, reset or no answer within HttpClient.Timeout: an error, the run goes on.
                        problem = e.Message;
                    }
                    var elapsed = Stopwatch.GetTimestamp() - started;
                    if (problem is not null)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"conversation {k} turn {turn + 1}: {problem}", null);
                        break;
                    }
                    // The turn's place rides in the low bits, split out when the run is summed up.
                    if (Volatile.Read(ref measuring)) mine.Add(elapsed * TurnSlots + turn);
                }
            }
        }

        var workers = Enumerable.Range(0, options.Connections).Select(i => Task.Run(() => Worker(i))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
        var costBefore = ProcessCost.Now();
        window?.Start();
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(options.Duration);
        if (sample is not null && samplePeriod > TimeSpan.Zero)
        {
            sample(TimeSpan.Zero);
            for (var next = samplePeriod; next <= duration; next += samplePeriod)
            {
                await Task.Delay(next - clock.Elapsed);
                sample(clock.Elapsed);
            }
        }
        var left = duration - clock.Elapsed;
        if (left > TimeSpan.Zero) await Task.Delay(left);
        Volatile.Write(ref measuring, false);
        window?.Stop();
        var wall = clock.Elapsed;
        var cost = ProcessCost.Now().Since(costBefore);
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);

        static double Ms(long entry) => entry / TurnSlots * 1000.0 / Stopwatch.Frequency;
        var entries = latencies.SelectMany(l => l).ToArray();
        var all = entries.Select(Ms).Order().ToArray();
        var byTurn = Enumerable.Range(0, Program.UserTurns.Length)
            .Select(turn => entries.Where(e => e % TurnSlots == turn).Select(Ms).Order().ToArray()).ToArray();
        return new LoadResult(target, all.Length, wall, all, byTurn, Interlocked.Read(ref errors), firstError, cost);
    }
}
