using ScenarioKit.Cli.Tests.Support;
using Spectre.Console;

namespace ScenarioKit.Cli.Tests.Chat;

/// <summary>Interactive chat (stdin is a terminal) rendered through Spectre on a TestConsole.</summary>
public sealed class TerminalChatViewTests
{
    const string Bracketed = """
        scenarioKit: 1
        id: brackets
        version: 1.0.0
        locale: ja-JP
        welcome:
          text: "[VIP] 会員様 [red]ようこそ[/]"
          suggest: ["[A] 注文", 担当者]
        fallback: "もう一度お願いします。"
        variables:
          note: { type: string, default: "全角のメモ［重要］" }
        """;

    static async Task<CliRun> ChatAsync(TempDirectory temp, string input)
    {
        var path = temp.Combine("brackets.yaml");
        File.WriteAllText(path, Bracketed);
        var run = await CliHarness.RunWithInputAsync(input, inputIsTerminal: true, "chat", path);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        return run;
    }

    [Fact]
    public async Task Scenario_text_is_shown_literally_never_as_markup()
    {
        using var temp = new TempDirectory();

        var run = await ChatAsync(temp, "");

        Assert.Contains("bot › [VIP] 会員様 [red]ようこそ[/]", run.Out, StringComparison.Ordinal);
        Assert.Contains("1 [A] 注文   2 担当者", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_prompt_is_shown_and_lines_are_not_echoed()
    {
        using var temp = new TempDirectory();

        var run = await ChatAsync(temp, "2\n");

        Assert.Contains("you › ", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("you: ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_state_table_stays_aligned_with_double_width_text()
    {
        using var temp = new TempDirectory();

        var run = await ChatAsync(temp, "/state\n");

        var tableLines = run.Out.ReplaceLineEndings("\n").Split('\n')
            .Select(l => l.Replace("you › ", "", StringComparison.Ordinal).TrimEnd())
            .Where(l => l.Length > 0 && l[0] is '╭' or '│' or '╰')
            .ToList();
        Assert.Contains(tableLines, l => l.Contains("全角のメモ［重要］", StringComparison.Ordinal));
        Assert.Single(tableLines.Select(l => l.GetCellWidth()).Distinct());
    }
}
