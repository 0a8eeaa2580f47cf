using ScenarioKit.Cli.Chat;

namespace ScenarioKit.Cli.Tests.Chat;

public sealed class ChatLineTests
{
    static readonly string[] Suggestions = ["Order status", "Talk to a person"];

    [Theory]
    [InlineData("1", "Order status")]
    [InlineData(" 2 ", "Talk to a person")]
    [InlineData("3", "3")]
    [InlineData("0", "0")]
    [InlineData("12345678", "12345678")]
    [InlineData("１", "１")]
    [InlineData("荷物が届かない", "荷物が届かない")]
    [InlineData("/say 1", "1")]
    public void Text_and_numbers(string line, string sent) =>
        Assert.Equal(new ChatLine.Say(sent), ChatLine.Parse(line, Suggestions));

    [Fact]
    public void An_empty_line_sends_nothing() => Assert.IsType<ChatLine.Nothing>(ChatLine.Parse("   ", Suggestions));

    [Theory]
    [InlineData("/quit", typeof(ChatLine.Quit))]
    [InlineData("/exit", typeof(ChatLine.Quit))]
    [InlineData("/reset", typeof(ChatLine.Reset))]
    [InlineData("/state", typeof(ChatLine.ShowState))]
    [InlineData("/help", typeof(ChatLine.ShowHelp))]
    [InlineData("/handback", typeof(ChatLine.HandBack))]
    [InlineData("/nope", typeof(ChatLine.Invalid))]
    [InlineData("/say", typeof(ChatLine.Invalid))]
    public void Slash_commands(string line, Type expected) => Assert.IsType(expected, ChatLine.Parse(line, []));

    [Fact]
    public void An_event_with_pairs_gets_a_typed_object_value()
    {
        var line = Assert.IsType<ChatLine.SendEvent>(ChatLine.Parse("/event page_dwell seconds=35 path=/products/1 vip=true ratio=0.5 code=\"0042\" note=\"two words\" none=null", []));

        Assert.Equal("page_dwell", line.Name);
        Assert.Equal("""{"seconds":35,"path":"/products/1","vip":true,"ratio":0.5,"code":"0042","note":"two words","none":null}""", line.Value!.Value.GetRawText());
    }

    [Fact]
    public void An_event_without_pairs_has_no_value()
    {
        var line = Assert.IsType<ChatLine.SendEvent>(ChatLine.Parse("/event cart_updated", []));

        Assert.Null(line.Value);
    }

    [Theory]
    [InlineData("/event")]
    [InlineData("/event seconds=35")]
    [InlineData("/event page_dwell seconds")]
    [InlineData("/event page_dwell note=\"open")]
    [InlineData("/event page_dwell data={broken")]
    public void Malformed_events_explain_themselves(string line)
    {
        var invalid = Assert.IsType<ChatLine.Invalid>(ChatLine.Parse(line, []));
        Assert.False(string.IsNullOrWhiteSpace(invalid.Message));
    }
}
