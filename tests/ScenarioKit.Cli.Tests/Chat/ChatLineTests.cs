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
    [InlineData("/accept", typeof(ChatLine.Accept))]
    [InlineData("/accept now", typeof(ChatLine.Invalid))]
    [InlineData("/timeout", typeof(ChatLine.Timeout))]
    [InlineData("/timeout 5m", typeof(ChatLine.Invalid))]
    [InlineData("/agent", typeof(ChatLine.Invalid))]
    [InlineData("/wait", typeof(ChatLine.Invalid))]
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

    [Theory]
    [InlineData("/agent お待たせしました。担当の佐藤です。", "お待たせしました。担当の佐藤です。")]
    [InlineData("/agent   Hello,  I'm Sam ", "Hello,  I'm Sam")]
    public void An_agent_line_keeps_the_text(string line, string text) =>
        Assert.Equal(new ChatLine.AgentSays(text), ChatLine.Parse(line, []));

    [Fact]
    public void A_bare_handback_has_no_flow_and_no_values()
    {
        var line = Assert.IsType<ChatLine.HandBack>(ChatLine.Parse("/handback", []));

        Assert.Null(line.Flow);
        Assert.Null(line.Variables);
    }

    [Fact]
    public void A_handback_takes_a_flow_and_values_typed_like_event_pairs()
    {
        var line = Assert.IsType<ChatLine.HandBack>(ChatLine.Parse("/handback csat feedback.topic=返品 feedback.score=5 code=\"0042\" vip=true", []));

        Assert.Equal("csat", line.Flow);
        Assert.Equal(["feedback.topic", "feedback.score", "code", "vip"], line.Variables!.Keys);
        Assert.Equal("\"返品\"", line.Variables["feedback.topic"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal("5", line.Variables["feedback.score"]!.ToJsonString());
        Assert.Equal("\"0042\"", line.Variables["code"]!.ToJsonString());
        Assert.Equal("true", line.Variables["vip"]!.ToJsonString());
    }

    [Fact]
    public void A_handback_with_values_only_has_no_flow()
    {
        var line = Assert.IsType<ChatLine.HandBack>(ChatLine.Parse("/handback order.number=\"12345678\"", []));

        Assert.Null(line.Flow);
        Assert.Equal("\"12345678\"", line.Variables!["order.number"]!.ToJsonString());
    }

    [Theory]
    [InlineData("/handback csat topic", "'topic' is not key=value (/handback [flow] [key=value …])")]
    [InlineData("/handback csat note=\"open", "unterminated quote in /handback")]
    [InlineData("/handback csat data={broken", "'{broken' starts like JSON but is not valid JSON")]
    public void Malformed_handbacks_explain_themselves(string line, string start)
    {
        var invalid = Assert.IsType<ChatLine.Invalid>(ChatLine.Parse(line, []));
        Assert.StartsWith(start, invalid.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/wait 11m", 660)]
    [InlineData("/wait 30s", 30)]
    [InlineData("/wait 1h30m", 5400)]
    [InlineData("/wait 2d", 172800)]
    public void Wait_takes_a_duration(string line, int seconds) =>
        Assert.Equal(new ChatLine.Wait(TimeSpan.FromSeconds(seconds)), ChatLine.Parse(line, []));

    [Theory]
    [InlineData("/wait 11")]
    [InlineData("/wait m")]
    [InlineData("/wait 0s")]
    [InlineData("/wait 30m1h")]
    [InlineData("/wait 1.5m")]
    [InlineData("/wait 400d")]
    [InlineData("/wait -5m")]
    public void Wait_refuses_what_is_not_a_duration(string line)
    {
        var invalid = Assert.IsType<ChatLine.Invalid>(ChatLine.Parse(line, []));
        Assert.Contains("/wait needs a duration", invalid.Message, StringComparison.Ordinal);
    }
}
