using ScenarioKit.Engine;
using ScenarioKit.Model;
using Spectre.Console;

namespace ScenarioKit.Cli.Chat;

/// <summary>Interactive chat on a terminal. Every scenario text goes through <c>EscapeMarkup</c>: designers write brackets too.</summary>
internal sealed class TerminalChatView(IAnsiConsole console, string? displayRoot = null) : IChatView
{
    const string BotPrefix = "[blue]bot ›[/] ";
    const string Indent = "      ";

    public void Intro(PackageManifest manifest, IReadOnlyCollection<string> mockedActions, DateTimeOffset? clock)
    {
        console.MarkupLine($"[bold]{manifest.Id.EscapeMarkup()}[/] {manifest.Version.EscapeMarkup()} [dim]({manifest.Locale.EscapeMarkup()})[/]");
        if (mockedActions.Count > 0)
            console.MarkupLine("[dim]mocked actions: " + string.Join(", ", mockedActions).EscapeMarkup() + "[/]");
        if (clock is { } c)
            console.MarkupLine("[dim]clock starts at " + InstantText.Format(c) + "[/]");
        console.MarkupLine("[dim]/help lists the commands; /quit or Ctrl+D leaves.[/]");
        console.WriteLine();
    }

    public void Prompt() => console.Markup("[green]you ›[/] ");

    public void Echo(string line) { }

    public void Message(BotMessage message)
    {
        var lines = message.Text.ReplaceLineEndings("\n").Split('\n');
        console.MarkupLine(BotPrefix + lines[0].EscapeMarkup());
        foreach (var line in lines.Skip(1))
            console.MarkupLine(Indent + line.EscapeMarkup());
        if (!message.Suggestions.IsDefaultOrEmpty)
            console.MarkupLine(Indent + string.Join("   ", message.Suggestions.Select((s, i) => $"[bold cyan]{i + 1}[/] {s.EscapeMarkup()}")));
    }

    public void Handoff(HandoffDecision decision)
    {
        var colour = decision.WithinHours ? "yellow" : "red";
        console.Write(new Rule($"[{colour}]handoff[/]") { Justification = Justify.Left });
        console.MarkupLine($"[{colour}]{ChatText.Handoff(decision).EscapeMarkup()}[/]");
    }

    public void Agent(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        console.MarkupLine("[magenta]agent ›[/] " + lines[0].EscapeMarkup());
        foreach (var line in lines.Skip(1))
            console.MarkupLine(Indent + "  " + line.EscapeMarkup());
    }

    public void Ticket(Ticket ticket) => console.MarkupLine($"[cyan]ticket[/] {ChatText.TicketSentence(ticket).EscapeMarkup()}");

    public void Hub(string text) => console.MarkupLine($"[yellow]hub[/] [dim]{text.EscapeMarkup()}[/]");

    public void RuntimeError(RuntimeError error) => console.MarkupLine($"[yellow]warning:[/] [dim]{ChatText.Describe(error, displayRoot).EscapeMarkup()}[/]");

    public void Notice(string text) => console.MarkupLine($"[dim]{text.EscapeMarkup()}[/]");

    public void Invalid(string text) => console.MarkupLine($"[red]{text.EscapeMarkup()}[/]");

    public void State(ConversationState state, ScenarioModel model)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn("");
        table.HideHeaders();
        foreach (var (name, value) in ChatText.StateFields(state))
            table.AddRow(new Text(name, new Style(decoration: Decoration.Dim)), new Text(value));
        foreach (var variable in model.Variables)
        {
            var value = state.Variables.TryGetValue(variable.Name, out var v) ? ChatText.Value(v) : "(unset)";
            table.AddRow(new Text(variable.Name), new Text(value));
        }
        console.Write(table);
    }

    public void Explanation(IReadOnlyList<(string Label, string Value)> lines)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn("");
        table.HideHeaders();
        foreach (var (label, value) in lines)
            table.AddRow(new Text(label, new Style(decoration: Decoration.Dim)), new Text(value));
        console.Write(table);
    }

    public void Help()
    {
        foreach (var line in ChatText.HelpLines)
            console.MarkupLine("[dim]" + line.EscapeMarkup() + "[/]");
    }
}
