using System.Text;
using Microsoft.AspNetCore.Http;
using ScenarioKit.Server.Endpoints;

namespace ScenarioKit.Server.Tests.Endpoints;

/// <summary>Issue 14 (docs/performance.md, "Session 9"): an activity's body is read into a pooled buffer, given back once parsed.</summary>
public sealed class HttpHelpersTests
{
    [Fact]
    public async Task An_activity_keeps_nothing_of_the_pooled_body_it_was_read_from()
    {
        // The same length each time, so the pool hands the first body's buffer to the ones after it.
        var first = await ReadAsync(Body("一つ目 <&> \"quoted\"", """{"orderNumber":"12345678","items":[1,2,3]}"""));
        var text = first.Text;
        var value = first.Value!.Value.GetRawText();
        var channelData = first.ChannelData!.Value.GetRawText();
        for (var i = 0; i < 20; i++)
            await ReadAsync(Body("二つ目 <&> \"QUOTED\"", """{"orderNumber":"87654321","items":[9,8,7]}"""));

        Assert.Equal("一つ目 <&> \"quoted\"", text);
        Assert.Equal(text, first.Text);
        Assert.Equal("""{"orderNumber":"12345678","items":[1,2,3]}""", first.Value!.Value.GetRawText());
        Assert.Equal(value, first.Value!.Value.GetRawText());
        Assert.Equal(channelData, first.ChannelData!.Value.GetRawText());
        Assert.Equal("conv-1", first.Conversation!.Id);
        Assert.Equal("user-1", first.From!.Id);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_with_a_pooled_buffer_as_without()
    {
        var body = Encoding.UTF8.GetBytes(Body(new string('x', 9000), "{}"));
        var context = Context(body, contentLength: null);
        var e = await Assert.ThrowsAsync<RequestException>(() => HttpHelpers.ReadActivityAsync(context, limit: 5000));
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, e.Status);
        Assert.Equal("x", (await HttpHelpers.ReadActivityAsync(Context(body, contentLength: null), limit: 100_000)).Text![..1]);
    }

    static string Body(string text, string value) => $$"""
        {"type":"message","id":"a-1","text":{{System.Text.Json.JsonSerializer.Serialize(text)}},"value":{{value}},"channelData":{"tag":{{System.Text.Json.JsonSerializer.Serialize(text)}}},
         "conversation":{"id":"conv-1"},"from":{"id":"user-1","role":"user"},"recipient":{"id":"bot"},"channelId":"test","deliveryMode":"expectReplies"}
        """;

    static Task<ScenarioKit.BotFramework.Schema.Activity> ReadAsync(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return HttpHelpers.ReadActivityAsync(Context(body, body.Length), limit: 100_000);
    }

    static DefaultHttpContext Context(byte[] body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = contentLength;
        if (contentLength is null) context.Request.Headers.TransferEncoding = "chunked";
        context.Request.Body = new MemoryStream(body);
        return context;
    }
}
