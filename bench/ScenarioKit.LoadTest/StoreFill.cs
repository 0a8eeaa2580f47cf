using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ScenarioKit.Storage;

namespace ScenarioKit.LoadTest;

/// <summary>
/// <c>--fill N</c> (docs/performance.md, "Storage size and retention"): what N reference turns leave in SQLite, before
/// and after the activity JSON expires. One real reference conversation is run through the in-process server first;
/// its rows (state, activities, turn log) are the template every filled conversation copies, with its own ids of the
/// same length, so the sizes are those of real turns. The N turns are written through the store's own group-commit
/// writer (N/5 conversations of five turns, many conversations at once).
/// </summary>
static class StoreFill
{
    const string TemplateId = "fill-000000000";
    internal static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(Program.Options options)
    {
        var template = await RecordTemplateAsync(options);
        if (options.Postgres is not null) return await PostgresFill.RunAsync(options, template);
        var path = options.Database ?? Path.Combine(Path.GetTempPath(), $"scenariokit-fill-{Guid.NewGuid():N}.db");
        Console.WriteLine($"fill {options.Fill:N0} reference turns into {path} (synchronous={(options.Durable ? "FULL" : "NORMAL")})");
        var conversations = (int)Math.Ceiling(options.Fill / (double)template.Turns.Count);

        var clock = Stopwatch.StartNew();
        await using (var store = new SqliteConversationStore(path, options.Durable))
        {
            await WriteAllAsync(store, template, conversations, clock);
            var turns = (long)conversations * template.Turns.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {turns:N0} turns in {clock.Elapsed.TotalSeconds:F0} s ({turns / clock.Elapsed.TotalSeconds:F0} turns/s)"));
            Report(path, turns, "after the fill");
            if (options.Database is not null)
            {
                // A named file is kept as filled, to start a server on (retention then expires it beside live turns).
                return 0;
            }

            clock.Restart();
            var expired = await store.ExpireAsync(T0.AddDays(365), DateTimeOffset.MinValue, CancellationToken.None);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"expired the activity JSON: {expired.Activities:N0} activities in {clock.Elapsed.TotalSeconds:F0} s"));
            Report(path, turns, "after expiry (freed pages are reused by new turns; the file does not shrink)");
        }
        long total = (long)conversations * template.Turns.Count;
        clock.Restart();
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            Execute(connection, "VACUUM");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VACUUM took {clock.Elapsed.TotalSeconds:F0} s"));
        Report(path, total, "after VACUUM");
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        return 0;
    }

    /// <summary>
    /// <c>--writer N</c>: the store's write path alone. N reference turns go through a new SQLite store with
    /// <see cref="Program.Options.Connections"/> turns waiting at a time (as many conversations writing at once), after a
    /// warm-up of a fifth as many; prints the CPU per turn by thread over the measured part (the writer thread is
    /// "ScenarioKit SQL…", the checkpoint "SQLite checkpoi…"). Far less noisy than the HTTP load on a shared machine.
    /// </summary>
    public static async Task<int> WriterCostAsync(Program.Options options)
    {
        var template = await RecordTemplateAsync(options);
        var directory = Path.Combine(Path.GetTempPath(), "scenariokit-writer-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var conversations = (int)Math.Ceiling(options.Writer / (double)template.Turns.Count);
            await using var store = new SqliteConversationStore(Path.Combine(directory, "writer.db"), options.Durable);
            var clock = Stopwatch.StartNew();
            await WriteAllAsync(store, template, conversations / 5, clock, options.Connections);
            var before = ProcessCost.Now();
            var writesBefore = FileWrites();
            clock.Restart();
            await WriteAllAsync(store, template, conversations, clock, options.Connections, firstConversation: conversations / 5);
            var cost = ProcessCost.Now().Since(before);
            var writes = FileWrites();
            var turns = (long)conversations * template.Turns.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"writer: {turns:N0} turns, {options.Connections} waiting at a time, synchronous={(options.Durable ? "FULL" : "NORMAL")}, {turns / clock.Elapsed.TotalSeconds:F0} turns/s"));
            // Unlike CPU time, these do not depend on the neighbours: the WAL frames and the checkpoint's copies, in bytes and calls.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"written per turn {(writes.Bytes - writesBefore.Bytes) / (double)turns:F0} B in {(writes.Calls - writesBefore.Calls) / (double)turns:F1} write calls; read {(writes.ReadBytes - writesBefore.ReadBytes) / (double)turns:F0} B in {(writes.ReadCalls - writesBefore.ReadCalls) / (double)turns:F1} read calls"));
            cost.Print(turns);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
        return 0;
    }

    /// <summary>This process's bytes written and read and the calls so far (Linux <c>/proc/self/io</c>; zero elsewhere).</summary>
    static (long Bytes, long Calls, long ReadBytes, long ReadCalls) FileWrites()
    {
        if (!OperatingSystem.IsLinux()) return default;
        var fields = File.ReadAllLines("/proc/self/io").Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        return (fields["wchar"], fields["syscw"], fields["rchar"], fields["syscr"]);
    }

    internal sealed record TemplateTurn(IReadOnlyList<StoredActivity> Activities, byte[] Summary);

    internal sealed record Template(string ChannelId, string ScenarioId, string ScenarioVersion, byte[] State, IReadOnlyList<TemplateTurn> Turns);

    /// <summary>Writes <paramref name="conversations"/> copies of the template conversation, many at once, through the store's own write path.</summary>
    internal static async Task WriteAllAsync(IConversationStore store, Template template, int conversations, Stopwatch clock, int inFlight = 512, int firstConversation = 0)
    {
        using var gate = new SemaphoreSlim(inFlight);
        var pending = new List<Task>();
        for (var c = firstConversation; c < firstConversation + conversations; c++)
        {
            await gate.WaitAsync();
            var id = "fill-" + c.ToString("D9", CultureInfo.InvariantCulture);
            // One conversation every 10 ms of simulated time, so retention cutoffs fall between them.
            var at = T0.AddMilliseconds(c * 10.0);
            pending.Add(Task.Run(async () =>
            {
                try { await WriteConversationAsync(store, template, id, at); }
                finally { gate.Release(); }
            }));
            if (pending.Count >= 4096)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
            if ((c + 1) % 20_000 == 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(c + 1) * (long)template.Turns.Count:N0} turns, {clock.Elapsed.TotalSeconds:F0} s"));
        }
        await Task.WhenAll(pending);
    }

    /// <summary>Runs the reference conversation once on the real server and reads back what it stored.</summary>
    static async Task<Template> RecordTemplateAsync(Program.Options options)
    {
        var directory = Path.Combine(Path.GetTempPath(), "scenariokit-fill-template-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "template.db");
        await using (var host = await InProcessServer.StartAsync(options with { Database = database, Postgres = null }))
        {
            using var http = new HttpClient { BaseAddress = new Uri(host.Url + "/") };
            for (var turn = 0; turn < Program.UserTurns.Length; turn++)
            {
                using var content = new ByteArrayContent(Program.UserActivity(TemplateId, turn));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("api/messages", content);
                var problem = Program.Check(turn, await response.Content.ReadAsByteArrayAsync());
                if (problem is not null) throw new InvalidOperationException($"the reference conversation failed: {problem}");
            }
        }
        await using var store = new SqliteConversationStore(database);
        var record = (await store.ListActiveAsync(DateTimeOffset.MinValue, false, 10, CancellationToken.None)).Single();
        var activities = await store.ReadActivitiesAsync(record.Key, 0, 1000, CancellationToken.None);
        var summaries = new List<byte[]>();
        await foreach (var t in store.ReadTurnsAsync(new TurnLogQuery(), CancellationToken.None)) summaries.Add(t.Json.ToArray());
        // Each turn starts with the customer's activity, the only kind without a replyToId.
        var turns = new List<List<StoredActivity>>();
        foreach (var a in activities)
        {
            if (a.Json.Span.IndexOf("\"replyToId\""u8) < 0) turns.Add([]);
            turns[^1].Add(a);
        }
        if (turns.Count != summaries.Count) throw new InvalidOperationException($"{turns.Count} turns in the activity log, {summaries.Count} in the turn log");
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return new Template(record.ChannelId, record.ScenarioId, record.ScenarioVersion, record.State.ToArray(),
            [.. turns.Select((a, i) => new TemplateTurn(a, summaries[i]))]);
    }

    internal static async Task WriteConversationAsync(IConversationStore store, Template template, string id, DateTimeOffset at)
    {
        byte[] Rename(ReadOnlySpan<byte> json) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace(TemplateId, id, StringComparison.Ordinal));
        var key = "channel/" + template.ChannelId + "/conv-" + id;
        var state = Rename(template.State);
        long seq = 0;
        for (var t = 0; t < template.Turns.Count; t++)
        {
            var turn = template.Turns[t];
            var when = at.AddSeconds(t);
            var activities = turn.Activities.Select(a => new StoredActivity(++seq, a.Type, Rename(a.Json.Span))).ToList();
            var record = new ConversationRecord(key, "conv-" + id, template.ChannelId, template.ScenarioId, template.ScenarioVersion,
                "user-" + id, state, t + 1, seq, true, false, at, when);
            await store.SaveAsync(new TurnWrite(record, t, activities)
            {
                Turn = new TurnLogEntry(key, t + 1, when, template.ScenarioId, template.ScenarioVersion, turn.Summary),
            }, CancellationToken.None);
        }
    }

    static void Report(string path, long turns, string when)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var pageSize = Scalar("PRAGMA page_size");
        var pages = Scalar("PRAGMA page_count");
        var free = Scalar("PRAGMA freelist_count");
        var file = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        var live = (pages - free) * pageSize;
        const double MB = 1024 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{when}: file {file / MB:F1} MB, in use {live / MB:F1} MB ({live / (double)turns:F0} bytes per turn), free pages {free * pageSize / MB:F1} MB"));
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {reader.GetString(0),-24} {reader.GetInt64(1) / MB,9:F1} MB  {reader.GetInt64(1) / (double)turns,6:F0} B/turn"));
        }
        catch (SqliteException)
        {
            // dbstat is an optional SQLite module; the totals above do not need it.
        }
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
