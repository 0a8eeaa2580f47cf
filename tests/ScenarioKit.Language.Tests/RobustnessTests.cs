using System.Text;
using CsCheck;
using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Language.Tests;

/// <summary>
/// Property tests: mutated valid scenarios (deleted/duplicated/swapped lines, type swaps, random
/// characters, deep nesting, huge strings, alias bombs, truncation) always give diagnostics, never an
/// exception or internal error; every span lies inside its file; compiling twice gives the same output.
/// CsCheck prints the seed of a failing case; set CsCheck_Seed to replay it.
/// </summary>
public class RobustnessTests
{
    static readonly string[] Bases =
    [
        File.ReadAllText(TestPaths.Fixture("Valid", "design-example.yaml")),
        File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "scenarios", "telecom-support", "scenario.yaml")),
    ];

    static readonly string[] Replacements = ["[1, 2]", "{ a: 1 }", "123", "true", "null", "\"x\"", "''", "~", "- a", "&x y", "*x", "!!binary abc", "${", "\"${a b}\"", "'(a+)+'", "1e400"];
    static readonly string[] Noise = ["\t", "\0", "\u0001", "'", "\"", "[", "{", "}", ":", ": ", "- ", "#", "&a", "*a", "|", ">", "%", "@", "`", "${", "\u3000", "日本語", "\uFEFF", "\r", "\n", "\uD800", "\u2028", "---\n", "? "];

    static string Mutate(string text, int kind, int position, int arg)
    {
        var lines = text.Split('\n').ToList();
        var i = position % lines.Count;
        switch (kind % 11)
        {
            case 0: lines.RemoveAt(i); break;
            case 1: lines.Insert(i, lines[i]); break;
            case 2:
            {
                var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
                if (colon >= 0) lines[i] = lines[i][..(colon + 2)] + Replacements[arg % Replacements.Length];
                break;
            }
            case 3:
            {
                var at = lines[i].Length == 0 ? 0 : arg % (lines[i].Length + 1);
                lines[i] = lines[i].Insert(at, Noise[(arg / 7) % Noise.Length]);
                break;
            }
            case 4: lines.Insert(i, "description: " + new string('[', 150 + arg % 200) + new string(']', arg % 3 == 0 ? 0 : 150 + arg % 200)); break;
            case 5: lines.Add("description: \"" + new string('x', 100_000 + arg % 1000) + "\""); break;
            case 6:
                lines.Add("bomb:");
                lines.Add("  a: &a [x, x, x, x, x, x, x, x, x, x]");
                for (var k = 1; k < 9; k++) lines.Add($"  a{k}: &a{k} [{string.Join(", ", Enumerable.Repeat(k == 1 ? "*a" : $"*a{k - 1}", 10))}]");
                break;
            case 7: return text[..(position % (text.Length + 1))];
            case 8: (lines[i], lines[arg % lines.Count]) = (lines[arg % lines.Count], lines[i]); break;
            case 9: lines[i] = new string(' ', arg % 5) + lines[i].TrimStart(); break;
            default:
            {
                var bytes = Encoding.UTF8.GetBytes(lines[i]);
                if (bytes.Length > 0) bytes[arg % bytes.Length] = (byte)(arg % 256);
                lines[i] = Encoding.UTF8.GetString(bytes);
                break;
            }
        }
        return string.Join('\n', lines);
    }

    [Fact]
    public void Mutated_scenarios_give_diagnostics_never_exceptions_and_spans_stay_in_the_file()
    {
        var gen = Gen.Select(Gen.Int[0, Bases.Length - 1], Gen.Int[0, 10], Gen.Int[0, 100_000], Gen.Int[0, 100_000]);
        gen.Sample((b, kind, position, arg) =>
        {
            var text = Mutate(Bases[b], kind, position, arg);
            var first = ScenarioCompiler.CompileText(text, "scenario.yaml", TestPaths.English);
            var second = ScenarioCompiler.CompileText(text, "scenario.yaml", TestPaths.English);
            Assert.DoesNotContain(first.Diagnostics, d => d.Id == DiagnosticCatalog.InternalError.Id);
            Assert.Equal(DiagnosticFormatter.FormatLines(first.Diagnostics), DiagnosticFormatter.FormatLines(second.Diagnostics));
            Assert.Equal(first.Success, second.Success);
            if (!first.Success) Assert.NotEmpty(first.Diagnostics);
            var lineCount = LineCount(text);
            foreach (var d in first.Diagnostics)
            {
                Assert.Equal("scenario.yaml", d.Span.File);
                Assert.InRange(d.Span.Line, 1, lineCount);
                Assert.InRange(d.Span.EndLine, d.Span.Line, lineCount);
                Assert.True(d.Span.Column >= 1, d.ToString());
            }
            // The formatters never throw either, whatever the text.
            DiagnosticFormatter.FormatText(first, TextWriter.Null, color: true);
            DiagnosticFormatter.FormatSarif(first, TextWriter.Null);
        }, iter: 250, threads: 1, print: t => $"base {t.Item1}, mutation {t.Item2} at {t.Item3} with {t.Item4}");
    }

    static int LineCount(string text)
    {
        var n = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            if (c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029') n++;
        }
        return n;
    }

    [Fact]
    public void Random_text_never_throws()
    {
        Gen.String[Gen.Char["\t\n :-[]{}'\"&*!|>%@`#,?ab01日本${}"], 0, 300].Sample(text =>
        {
            var result = ScenarioCompiler.CompileText(text, "scenario.yaml", TestPaths.English);
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticCatalog.InternalError.Id);
            Assert.False(result.Success);
        }, iter: 400, threads: 1);
    }

    [Fact]
    public void Unexpected_exceptions_become_SK1000_not_crashes()
    {
        var result = ScenarioCompiler.CompileText("scenarioKit: 1", "s.yaml", TestPaths.English with { ThrowForTesting = true });
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SK1000", d.Id);
        Assert.Null(result.Package);
    }

    [Theory]
    // Folders of the zone database: TimeZoneInfo.FindSystemTimeZoneById throws a SecurityException for them (found by
    // the mutation test above). Names that are not of the IANA form (../x, 東京) are refused earlier, by the schema.
    [InlineData("Europe")]
    [InlineData("America")]
    [InlineData("Asia")]
    public void A_time_zone_that_is_not_a_zone_is_SK3021_not_a_crash(string zone)
    {
        foreach (var at in new[] { $"timezone: \"{zone}\"\n", $"handoff:\n  queues:\n    support: {{ hours: \"Mon-Fri 09:00-18:00\", timezone: \"{zone}\" }}\n" })
        {
            var yaml = "scenarioKit: 1\nid: tz\nversion: 1.0.0\nlocale: en-US\nfallback: Sorry?\n" + at;
            var result = ScenarioCompiler.CompileText(yaml, "s.yaml", TestPaths.English);
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticCatalog.InternalError.Id);
            Assert.Contains(result.Diagnostics, d => d.Id == DiagnosticCatalog.UnknownTimeZone.Id);
        }
    }

    [Fact]
    public void A_path_that_does_not_exist_is_SK1007()
    {
        var result = ScenarioCompiler.Compile(Path.Combine(Path.GetTempPath(), "no-such-scenario-" + Guid.NewGuid().ToString("N")), TestPaths.English);
        Assert.Equal("SK1007", Assert.Single(result.Diagnostics).Id);
    }
}

public class HostileExpressionTests
{
    public static TheoryData<string> Hostile() =>
    [
        "\"${" + string.Concat(Enumerable.Repeat("`${", 5000)) + "\"",
        "\"${" + new string('(', 100_000) + "1" + new string(')', 100_000) + "}\"",
        "\"${" + new string('!', 4000) + "text}\"",
        "\"${" + string.Join("+", Enumerable.Repeat("text", 1000)) + "}\"",
        "\"${" + new string('[', 3000) + "}\"",
        "\"" + string.Concat(Enumerable.Repeat("${text}", 20_000)) + "\"",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_templates_give_diagnostics_or_compile_without_crashing(string say)
    {
        var yaml = $"""
            scenarioKit: 1
            id: demo
            version: 1.0.0
            locale: en-US
            intents: {"{"} greet: {"{"} examples: [a1, b2, c3, d4, e5] {"}"} {"}"}
            flows:
              hello:
                trigger: {"{"} intent: greet {"}"}
                steps:
                  - say: {say}
            """;
        var result = ScenarioCompiler.CompileText(yaml, "s.yaml", TestPaths.English);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == DiagnosticCatalog.InternalError.Id);
        Assert.All(result.Diagnostics, d => Assert.Equal(10, d.Span.Line));
    }
}
