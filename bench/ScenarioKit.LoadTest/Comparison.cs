using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ScenarioKit.LoadTest;

/// <summary>
/// <c>--compare</c> (docs/performance.md, "Server"): the same closed loop, one target after the other in one run, so
/// the ratios hold whatever else the machine is doing: the in-process ScenarioKit server, the botbuilder-JS reference
/// bot over HTTP (<c>bench/botbuilder/server.js</c>, CloudAdapter, MemoryStorage) and a raw Kestrel JSON echo (the
/// request body written back: the ceiling any bot on Kestrel can reach with this client).
/// </summary>
static class Comparison
{
    public static async Task<int> RunAsync(Program.Options options)
    {
        Console.WriteLine($"compare: {options.Connections} connections, warm-up {options.Warmup} s, measure {options.Duration} s per target, {Environment.ProcessorCount} cores");
        var results = new List<LoadResult>();

        await using (var host = await InProcessServer.StartAsync(options))
        {
            Console.WriteLine($"-- scenariokit (in-process server, SQLite synchronous={(options.Durable ? "FULL" : "NORMAL")})");
            var r = await ClosedLoop.RunAsync("scenariokit", host.Url, options, (turn, _, body) => Program.Check(turn, body));
            r.Print(cpuIsServer: true);
            results.Add(r);
        }

        using (var node = StartBotbuilder(options, out var url))
        {
            try
            {
                Console.WriteLine($"-- botbuilder ({options.Node ?? "node"} bench/botbuilder/server.js, pid {node.Id})");
                var cpuBefore = node.TotalProcessorTime;
                var r = await ClosedLoop.RunAsync("botbuilder", url, options, (turn, _, body) => Program.Check(turn, body));
                node.Refresh();
                r.Print(cpuIsServer: false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node CPU         {(node.TotalProcessorTime - cpuBefore).TotalMilliseconds * 1000 / Math.Max(1, r.Turns):F0} µs per turn (measured window and after)"));
                results.Add(r);
            }
            finally
            {
                node.Kill(entireProcessTree: true);
            }
        }

        await using (var echo = await EchoServer.StartAsync())
        {
            Console.WriteLine("-- echo (raw Kestrel: the request body written back as application/json)");
            var r = await ClosedLoop.RunAsync("echo", echo.Url, options, CheckEcho);
            r.Print(cpuIsServer: true);
            results.Add(r);
        }

        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| target | turns/s | p50 ms | p90 ms | p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(string.Create(ci, $"| {r.Target} | {r.TurnsPerSecond:F0} | {r.Percentile(50):F2} | {r.Percentile(90):F2} | {r.Percentile(99):F2} | {r.Errors} |"));
        var (sk, bb, ec) = (results[0], results[1], results[2]);
        Console.WriteLine(string.Create(ci, $"scenariokit = {sk.TurnsPerSecond / bb.TurnsPerSecond:F2}x botbuilder, {100 * sk.TurnsPerSecond / ec.TurnsPerSecond:F1}% of the raw Kestrel echo"));
        return results.All(r => r.Errors == 0 && r.Turns > 0) ? 0 : 1;
    }

    /// <summary>An echo's answer is the request, byte for byte.</summary>
    internal static string? CheckEcho(int turn, byte[] request, byte[] body) =>
        body.AsSpan().SequenceEqual(request) ? null : "the echo differs from the request";

    static Process StartBotbuilder(Program.Options options, out string url)
    {
        var script = FindUp(Path.Combine("bench", "botbuilder", "server.js"));
        var start = new ProcessStartInfo(options.Node ?? "node", [script, "0"])
        {
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var port = process.StandardOutput.ReadLine();
        if (!int.TryParse(port, CultureInfo.InvariantCulture, out _))
        {
            process.Kill();
            throw new InvalidOperationException($"bench/botbuilder/server.js did not print its port (got '{port}'); run `npm ci --ignore-scripts` in bench/botbuilder.");
        }
        url = "http://127.0.0.1:" + port;
        return process;
    }

    static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above the program.");
    }

    /// <summary>Kestrel with nothing but a request delegate: the body is read and written back.</summary>
    internal sealed class EchoServer(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public static async Task<EchoServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(EchoAsync);
            await app.StartAsync();
            return new EchoServer(app, app.Urls.Single().TrimEnd('/'));
        }

        /// <summary>The echo itself: the request body read whole and written back as <c>application/json</c>.</summary>
        public static async Task EchoAsync(HttpContext context)
        {
            var buffer = new byte[(int)(context.Request.ContentLength ?? 4096)];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length))) > 0) length += read;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = length;
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, length));
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
