using System.Globalization;
using System.Text;

namespace ScenarioKit.Insight.Rendering;

/// <summary>
/// Candidate lines for a scenario's accuracy file (<c>tests/*.accuracy.yaml</c>) from the fallback hot spots: each group's
/// text with the closest intent, or <c>none</c> when nothing came close, for a designer to review, correct and adopt.
/// </summary>
public static class AccuracySuggestions
{
    /// <summary>Below this score the closest intent is a guess: the line proposes <c>none</c> and names the guess in a comment.</summary>
    public const double MinimumScore = 0.3;

    public static string Write(ScenarioReport scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"# Candidate accuracy lines for {scenario.ScenarioId}, from messages the bot did not understand.\n");
        yaml.Append("# Review each one: set the intent the customer meant (or none), then copy the lines into the scenario's accuracy file.\n");
        foreach (var spot in scenario.HotSpots)
        {
            var intent = spot.NearestIntent is { } nearest && spot.NearestScore >= MinimumScore ? nearest : "none";
            var closest = spot.NearestIntent is null ? "no intent came close" : $"closest: {spot.NearestIntent} {spot.NearestScore?.ToString("0.00", CultureInfo.InvariantCulture)}";
            yaml.Append(CultureInfo.InvariantCulture, $"- {{ text: {Quote(spot.Text)}, intent: {intent} }}  # {spot.Count}×, {closest}\n");
        }
        return yaml.ToString();
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
