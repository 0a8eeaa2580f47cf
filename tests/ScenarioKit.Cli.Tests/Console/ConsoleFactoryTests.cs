using ScenarioKit.Cli.Console;
using Spectre.Console;

namespace ScenarioKit.Cli.Tests.Console;

public sealed class ConsoleFactoryTests
{
    const string Escape = "\u001b[";
    static readonly Dictionary<string, string> ColourTerminal = new() { ["TERM"] = "xterm-256color", ["COLORTERM"] = "truecolor" };

    static string Render(bool isTerminal, IReadOnlyDictionary<string, string> environment)
    {
        using var writer = new StringWriter();
        var console = ConsoleFactory.Create(writer, isTerminal, environment);
        console.MarkupLine("[red]error:[/] [bold]注文[/]");
        return writer.ToString();
    }

    [Fact]
    public void A_terminal_gets_colour() =>
        Assert.Contains(Escape, Render(isTerminal: true, ColourTerminal), StringComparison.Ordinal);

    [Fact]
    public void NO_COLOR_turns_colour_off_even_on_a_terminal()
    {
        var output = Render(isTerminal: true, new Dictionary<string, string>(ColourTerminal) { ["NO_COLOR"] = "1" });

        Assert.DoesNotContain(Escape, output, StringComparison.Ordinal);
        Assert.Equal("error: 注文", output.TrimEnd());
    }

    [Fact]
    public void An_empty_NO_COLOR_is_ignored_as_the_convention_says() =>
        Assert.Contains(Escape, Render(isTerminal: true, new Dictionary<string, string>(ColourTerminal) { ["NO_COLOR"] = "" }), StringComparison.Ordinal);

    [Fact]
    public void Redirected_output_gets_no_colour_and_no_wrapping()
    {
        using var writer = new StringWriter();
        var console = ConsoleFactory.Create(writer, isTerminal: false, ColourTerminal);
        var longLine = string.Concat(Enumerable.Repeat("ご注文番号を教えてください。", 20));

        console.MarkupLine("[red]" + longLine.EscapeMarkup() + "[/]");

        Assert.Equal(longLine, writer.ToString().TrimEnd());
    }

    [Fact]
    public void Japanese_counts_two_cells_per_character() =>
        Assert.Equal(10, "ご注文番号".GetCellWidth());
}
