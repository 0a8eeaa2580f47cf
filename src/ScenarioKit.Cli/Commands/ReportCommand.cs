using System.CommandLine;
using System.Globalization;
using System.Text;
using ScenarioKit.Cli.Console;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Insight;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Insight.Rendering;
using ScenarioKit.Storage;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

/// <summary>
/// <c>report</c>: what the bot resolves and where it fails, from the conversations the server stored (issue 13,
/// docs/insight.md). Reads the turn log and the archived packages; writes nothing to the database except the audit
/// record of an unmasked report.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var database = DatabaseOption.Create();
        var scenario = new Option<string?>("--scenario") { Description = "Only this scenario id.", HelpName = "id" };
        var version = new Option<string?>("--version") { Description = "Only conversations that ran on this package version.", HelpName = "v" };
        var from = new Option<string?>("--from") { Description = "Only turns at or after this time (2026-04-01, or ISO 8601 with time; UTC unless an offset is given).", HelpName = "time" };
        var to = new Option<string?>("--to") { Description = "Only turns before this time (a date alone means its start).", HelpName = "time" };
        var output = new Option<string>("--output", "-o") { Description = "Folder to write the report into (created if needed).", DefaultValueFactory = _ => ".", HelpName = "dir" };
        var format = new Option<string>("--format", "-f") { Description = "html (one self-contained page), json (report.json) or csv (one file per table).", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "json", "csv");
        var failUnder = new Option<double?>("--fail-under") { Description = "Target containment in percent (default 85); exit 1 when an intent with enough episodes for a verdict is below it.", HelpName = "percent" };
        var compare = new Option<string?>("--compare") { Description = "Compare two package versions, e.g. 1.0.0..1.1.0: the report of the second with every metric beside the first's.", HelpName = "a..b" };
        var suggest = new Option<bool>("--suggest") { Description = "Also write accuracy-suggestions.<scenario>.yaml: candidate accuracy-file lines from the not-understood messages, to review." };
        var timeout = new Option<string>("--session-timeout") { Description = "Quiet time after which a session inside a flow or an ask counts as abandoned (30m, 1h, 90s).", DefaultValueFactory = _ => "30m", HelpName = "duration" };
        var noMask = new Option<bool>("--no-mask") { Description = "Show customer text unmasked (personal-data answers, e-mail addresses, phone numbers). Logged to stderr and to the agent hub's audit log." };
        var minSample = new Option<int>("--min-sample") { Description = "Finished episodes an intent needs before it gets a verdict.", DefaultValueFactory = _ => 30, HelpName = "n" };

        var command = new Command("report", "Report from stored conversations: contained/escalated/abandoned per intent against the 85% line, the journey funnel, steps where customers get stuck, what the bot does not understand, why customers reach a human.")
        {
            database, scenario, version, from, to, output, format, failUnder, compare, suggest, timeout, noMask, minSample,
        };
        HelpExamples.Set(command,
            "scenariokit report --db scenariokit.db -o report",
            "scenariokit report --scenario retail-support --from 2026-04-01 --to 2026-05-01 --format csv -o april",
            "scenariokit report --db staging.db --fail-under 85 --format json -o out",
            "scenariokit report --compare 1.0.0..1.1.0 --suggest -o compare");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            var storage = StoredConversations.Options(result.GetValue(database));
            if (!Durations.TryParse(result.GetRequiredValue(timeout), out var sessionTimeout))
                return CommandGuard.Usage(context, $"--session-timeout: '{result.GetValue(timeout)}' is not a duration such as 30m, 1h or 90s.");
            if (!TryTime(result.GetValue(from), out var fromUtc)) return CommandGuard.Usage(context, $"--from: '{result.GetValue(from)}' is not a date or ISO 8601 time.");
            if (!TryTime(result.GetValue(to), out var toUtc)) return CommandGuard.Usage(context, $"--to: '{result.GetValue(to)}' is not a date or ISO 8601 time.");
            var target = result.GetValue(failUnder);
            if (target is <= 0 or > 100) return CommandGuard.Usage(context, "--fail-under is a percentage above 0 and at most 100, e.g. 85.");
            string? compareFrom = null, compareTo = null;
            if (result.GetValue(compare) is { } range)
            {
                var parts = range.Split("..");
                if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace)) return CommandGuard.Usage(context, $"--compare: '{range}' is not two versions such as 1.0.0..1.1.0.");
                (compareFrom, compareTo) = (parts[0].Trim(), parts[1].Trim());
            }
            if (result.GetValue(minSample) < 1) return CommandGuard.Usage(context, "--min-sample is at least 1.");

            var mask = !result.GetValue(noMask);
            var options = new InsightOptions
            {
                SessionTimeout = sessionTimeout,
                Target = (target ?? 85) / 100,
                MinimumSample = result.GetValue(minSample),
                Mask = mask,
            };
            var filter = new ReportFilter(result.GetValue(scenario), result.GetValue(version), fromUtc, toUtc);
            return await StoredConversations.RunAsync(context, storage, async store =>
            {
                var hub = await HubStoreIfAnyAsync(storage);
                await using var _ = hub as IAsyncDisposable;
                if (!mask) await LogUnmaskedAsync(context, hub, store.Where, ct);

                var builder = new InsightReportBuilder(store.Turns, store.Packages, hub);
                var report = compareFrom is null
                    ? await builder.BuildAsync(filter, options, ct)
                    : await builder.CompareAsync(filter, compareFrom, compareTo!, options, ct);
                var directory = Path.GetFullPath(result.GetRequiredValue(output));
                Directory.CreateDirectory(directory);
                var written = await WriteAsync(report, result.GetRequiredValue(format), directory, result.GetValue(suggest), ct);
                Summarize(context, report, written);
                var below = report.Scenarios.SelectMany(s => s.Intents.Where(i => i.Verdict == Verdict.Below).Select(i => (s.ScenarioId, i))).ToList();
                if (target is null || below.Count == 0) return ExitCodes.Success;
                foreach (var (id, intent) in below)
                    context.Error.MarkupLine($"[red]below {target.Value.ToString(CultureInfo.InvariantCulture)}%:[/] {id.EscapeMarkup()} {intent.Intent.EscapeMarkup()} contained {intent.ContainedRate * 100:0.#}% of {intent.Volume}");
                return ExitCodes.Failed;
            });
        }));
        return command;
    }

    static async Task<IReadOnlyList<string>> WriteAsync(InsightReport report, string format, string directory, bool suggest, CancellationToken ct)
    {
        var files = format switch
        {
            "json" => new Dictionary<string, string> { ["report.json"] = JsonReportWriter.Write(report) },
            "csv" => new Dictionary<string, string>(CsvReportWriter.Write(report)),
            _ => new Dictionary<string, string> { ["report.html"] = HtmlReportWriter.Write(report) },
        };
        if (suggest)
        {
            foreach (var scenario in report.Scenarios.Where(s => !s.HotSpots.IsEmpty))
                files[$"accuracy-suggestions.{scenario.ScenarioId}.yaml"] = AccuracySuggestions.Write(scenario);
        }
        var written = new List<string>();
        foreach (var (name, text) in files)
        {
            var file = Path.Combine(directory, name);
            await File.WriteAllTextAsync(file, text, new UTF8Encoding(false), ct);
            written.Add(file);
        }
        return written;
    }

    static void Summarize(CliContext context, InsightReport report, IReadOnlyList<string> written)
    {
        foreach (var s in report.Scenarios)
        {
            var c = s.Conversations;
            context.Out.MarkupLine($"{s.ScenarioId.EscapeMarkup()}: {c.Total} conversations ({c.Contained} contained, {c.Escalated} escalated, {c.Abandoned} abandoned, {c.Unengaged} unengaged{(c.Ongoing > 0 ? $", {c.Ongoing} ongoing" : "")}), {s.Turns} turns");
        }
        if (report.Scenarios.IsEmpty) context.Out.MarkupLine("No stored turns match the filter.");
        foreach (var file in written) context.Out.MarkupLine($"Wrote {file.EscapeMarkup()}");
    }

    /// <summary>The hub's store when the database has one (its audit log records unmasked reports; its entries give agent outcomes).</summary>
    /// <summary>The agent hub's store when the database has one (its audit log records an unmasked report; its reasons explain handoffs).</summary>
    static async Task<IHubStore?> HubStoreIfAnyAsync(ScenarioServerOptions storage)
    {
        // PostgreSQL: the tool store's migration made the hub tables.
        if (storage.Storage.Provider == StorageProvider.Postgres) return ServerStorage.OpenHubStore(storage);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={storage.DatabasePath};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'hub_entries'";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 0) return null;
        }
        return new SqliteHubStore(storage.DatabasePath);
    }

    static async Task LogUnmaskedAsync(CliContext context, IHubStore? hub, string where, CancellationToken ct)
    {
        context.Error.MarkupLine($"[yellow]warning:[/] --no-mask: this report shows customer text unmasked ({AgentsCommand.Actor.EscapeMarkup()}, {where.EscapeMarkup()}).");
        if (hub is not null)
            await hub.AppendAuditAsync(new AuditRecord(0, DateTimeOffset.UtcNow, AgentsCommand.Actor, AuditActions.ReportUnmasked, null, null, "scenariokit report --no-mask"), ct);
    }

    static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)) return false;
        time = parsed;
        return true;
    }
}

/// <summary>Durations as people write them on a command line: <c>30m</c>, <c>1h</c>, <c>90s</c>, <c>2d</c> (or <c>hh:mm:ss</c>).</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length >= 2 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            duration = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => default,
            };
            return duration > TimeSpan.Zero;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }
}
