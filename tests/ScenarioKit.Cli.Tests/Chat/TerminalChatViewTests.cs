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

    [Fact]
    public async Task Hub_agent_and_ticket_lines_read_as_sentences_and_agent_text_is_never_markup()
    {
        var retail = RepoPaths.Combine("scenarios", "retail-support");
        var run = await CliHarness.RunWithInputAsync("人と話したいです\n/agent [red]佐藤[/]です\n/handback\n人と話したいです\n/timeout\n折り返しの電話を希望\n090-1234-5678\n午前\n",
            inputIsTerminal: true, "chat", retail, "--clock", "2026-11-24T14:00:00+09:00");
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());

        Assert.Contains("hub queue support: position 1, about 2 min, 1 agent online; waiting for an agent", run.Out, StringComparison.Ordinal);
        Assert.Contains("agent › [red]佐藤[/]です", run.Out, StringComparison.Ordinal);
        Assert.Contains("hub the agent returned the conversation to the bot", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"ticket CB-[2-9A-HJ-NP-Z]{5}: call back 09012345678 \(午前\), queue support", run.Out);
        Assert.DoesNotContain("ticket:", run.Out, StringComparison.Ordinal);
    }
}
