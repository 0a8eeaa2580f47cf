using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ScenarioKit.Storage.PostgreSql;

namespace ScenarioKit.LoadTest;

/// <summary>
/// <c>--fill N --postgres CS</c> (docs/performance.md, "Storage size and retention"): the same N reference turns as the
/// SQLite fill, written through <see cref="PostgresConversationStore"/> into the database of the connection string,
/// then the activity JSON expired; sizes from <c>pg_total_relation_size</c> (table, TOAST and indexes) after each step.
/// The tables are emptied first, so point it at a database of its own.
/// </summary>
static class PostgresFill
{
    static readonly string[] Tables = ["conversations", "activities", "turns"];

    public static async Task<int> RunAsync(Program.Options options, StoreFill.Template template)
    {
        var conversations = (int)Math.Ceiling(options.Fill / (double)template.Turns.Count);
        var turns = (long)conversations * template.Turns.Count;
        await using var store = new PostgresConversationStore(options.Postgres!);
        await store.MigrateAsync(CancellationToken.None);
        await using var admin = NpgsqlDataSource.Create(options.Postgres!);
        await ExecuteAsync(admin, "TRUNCATE conversations, activities, turns");
        Console.WriteLine($"fill {options.Fill:N0} reference turns into PostgreSQL ({store.Description})");

        var clock = Stopwatch.StartNew();
        // The pool's connections bound what can run at once; more writers than connections only queue for them.
        await StoreFill.WriteAllAsync(store, template, conversations, clock, inFlight: 64);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {turns:N0} turns in {clock.Elapsed.TotalSeconds:F0} s ({turns / clock.Elapsed.TotalSeconds:F0} turns/s)"));
        await ExecuteAsync(admin, "VACUUM ANALYZE conversations, activities, turns");
        await ReportAsync(admin, turns, "after the fill");

        clock.Restart();
        var expired = await store.ExpireAsync(StoreFill.T0.AddDays(365), DateTimeOffset.MinValue, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"expired the activity JSON: {expired.Activities:N0} activities in {clock.Elapsed.TotalSeconds:F0} s"));
        // Plain VACUUM (autovacuum does the same in the background) makes the dead rows' space reusable by new turns; the
        // files keep their size. VACUUM FULL rewrites the tables to what is live, holding an exclusive lock meanwhile.
        await ExecuteAsync(admin, "VACUUM ANALYZE conversations, activities, turns");
        await ReportAsync(admin, turns, "after expiry and VACUUM (space reusable; files keep their size)");
        clock.Restart();
        await ExecuteAsync(admin, "VACUUM FULL conversations, activities, turns");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VACUUM FULL took {clock.Elapsed.TotalSeconds:F0} s"));
        await ReportAsync(admin, turns, "after VACUUM FULL");
        await ExecuteAsync(admin, "TRUNCATE conversations, activities, turns");
        return 0;
    }

    static async Task ReportAsync(NpgsqlDataSource admin, long turns, string when)
    {
        const double MB = 1024 * 1024;
        long total = 0;
        var lines = new List<string>();
        foreach (var table in Tables)
        {
            await using var command = admin.CreateCommand($"SELECT pg_total_relation_size('{table}'), (SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = '{table}')");
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var size = reader.GetInt64(0);
            total += size;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"    {table,-24} {size / MB,9:F1} MB  {size / (double)turns,6:F0} B/turn  {reader.GetInt64(1),12:N0} rows"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{when}: tables with TOAST and indexes {total / MB:F1} MB ({total / (double)turns:F0} bytes per turn)"));
        foreach (var line in lines) Console.WriteLine(line);
    }

    static async Task ExecuteAsync(NpgsqlDataSource admin, string sql)
    {
        await using var command = admin.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
