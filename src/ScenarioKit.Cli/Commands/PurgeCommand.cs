using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using ScenarioKit.Cli.Console;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

/// <summary><c>scenariokit purge --older-than 90d</c>: the retention pass of <see cref="IStoreRetention"/>, run by hand or from cron.</summary>
internal static partial class PurgeCommand
{
    public static Command Create(CliContext context)
    {
        var olderThan = new Option<string>("--older-than")
        {
            Description = "Delete what is older than this: a number with d (days), w (weeks) or h (hours), e.g. 90d.",
            HelpName = "age",
            Required = true,
        };
        var database = DatabaseOption.Create();

        var command = new Command("purge", "Delete stored transcripts older than an age: conversations idle since before it with their activities, and turn-log rows written before it, from the database serve uses (the SQLite file, or PostgreSQL when ScenarioKit:Storage:Provider says so). Says how many went.")
        {
            olderThan, database,
        };
        HelpExamples.Set(command,
            "scenariokit purge --older-than 90d",
            "scenariokit purge --older-than 26w --db /var/lib/scenariokit/scenariokit.db");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            var ageText = result.GetRequiredValue(olderThan);
            if (ParseAge(ageText) is not { } age)
                return CommandGuard.Usage(context, $"--older-than '{ageText}': expected a number and a unit, d (days), w (weeks) or h (hours), e.g. 90d.");
            var options = StoredConversations.Options(result.GetValue(database));
            var cutoff = TimeProvider.System.GetUtcNow() - age;
            return await StoredConversations.RunAsync(context, options, async store =>
            {
                var deleted = await store.Retention.ExpireAsync(cutoff, cutoff, ct);
                context.Out.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"Deleted {deleted.Conversations:#,0} conversations, {deleted.Turns:#,0} turns and {deleted.Activities:#,0} activities older than {cutoff:yyyy-MM-dd HH:mm}Z from {store.Where}").EscapeMarkup());
                return ExitCodes.Success;
            });
        }));
        return command;
    }

    /// <summary>A positive age such as <c>90d</c>, <c>4w</c> or <c>36h</c>; null when the text is not one.</summary>
    internal static TimeSpan? ParseAge(string text)
    {
        var match = Age().Match(text.Trim());
        if (!match.Success || !int.TryParse(match.Groups["n"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            return null;
        return match.Groups["unit"].Value switch
        {
            "h" => TimeSpan.FromHours(n),
            "w" => TimeSpan.FromDays(7.0 * n),
            _ => TimeSpan.FromDays(n),
        };
    }

    [GeneratedRegex("^(?<n>[0-9]{1,6})(?<unit>[dwh])$", RegexOptions.CultureInvariant)]
    private static partial Regex Age();
}
