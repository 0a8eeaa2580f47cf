using ScenarioKit.Cli.Chat;

namespace ScenarioKit.Cli.Tests.Chat;

public sealed class CommandLineValueTests
{
    [Theory]
    [InlineData("35", "35")]
    [InlineData("-1.5e3", "-1.5e3")]
    [InlineData("true", "true")]
    [InlineData("shipped", "\"shipped\"")]
    [InlineData("08", "\"08\"")]
    [InlineData("0x10", "\"0x10\"")]
    [InlineData("１２", "\"１２\"")]
    [InlineData("12345678", "12345678")]
    [InlineData("\"12345678\"", "\"12345678\"")]
    [InlineData("{\"status\":\"発送済み\"}", "{\"status\":\"発送済み\"}")]
    [InlineData("[1,2]", "[1,2]")]
    [InlineData("発送済み", "\"発送済み\"")]
    public void Keeps_json_types_and_treats_the_rest_as_text(string text, string json) =>
        Assert.Equal(json, CommandLineValue.Parse(text)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    [Fact]
    public void Null_is_null() => Assert.Null(CommandLineValue.Parse("null"));

    [Fact]
    public void Broken_json_is_a_format_error() => Assert.Throws<FormatException>(() => CommandLineValue.Parse("{oops"));
}
