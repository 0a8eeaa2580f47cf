using System.Net;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.BotFramework.Authentication;
using ScenarioKit.BotFramework.Connector;
using ScenarioKit.BotFramework.DirectLine;
using ScenarioKit.BotFramework.Schema;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.BotFramework;

public sealed class ConnectorAndTokenTests
{
    [Fact]
    public async Task Connector_replies_with_replyToId_sends_without_and_escapes_ids()
    {
        await using var channel = await LocalChannel.StartAsync();
        using var http = new HttpClient();
        var client = new ConnectorClient(http);
        var conversation = new ConversationAccount { Id = "19:abc;messageid=1" };
        await client.SendAsync(channel.ServiceUrl, new Activity { Type = "message", Text = "a", Conversation = conversation, ReplyToId = "x|1 2" });
        await client.SendAsync(channel.ServiceUrl.TrimEnd('/') + "//", new Activity { Type = "message", Text = "b", Conversation = conversation });
        var calls = channel.Received.ToList();
        Assert.Equal("/v3/conversations/19%3Aabc%3Bmessageid%3D1/activities/x%7C1%202", calls[0].Path);
        Assert.Equal("/v3/conversations/19%3Aabc%3Bmessageid%3D1/activities", calls[1].Path);
        // §3: no app id, no Authorization header at all.
        Assert.All(calls, c => Assert.Null(c.Authorization));
    }

    [Fact]
    public async Task Connector_reports_a_refusing_channel()
    {
        await using var channel = await LocalChannel.StartAsync();
        using var http = new HttpClient();
        var client = new ConnectorClient(http);
        var e = await Assert.ThrowsAsync<ConnectorException>(() => client.SendAsync(channel.ServiceUrl, new Activity { Type = "message", Conversation = new() { Id = "refuse" } }));
        Assert.Equal(503, e.StatusCode);
        Assert.Contains("channel is down", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(channel.ServiceUrl, new Activity { Type = "message" }));
    }

    [Fact]
    public void Direct_Line_tokens_bind_conversation_user_and_expiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var tokens = new DirectLineTokens("a-secret-of-sufficient-length"u8, time);
        var token = tokens.Issue("conv-1", "dl_user", "shop|1.0.0");
        Assert.Equal(TokenValidation.Valid, tokens.Validate(token, out var grant));
        Assert.Equal(new DirectLineGrant("conv-1", "dl_user", "shop|1.0.0", time.GetUtcNow().AddMinutes(30).AddTicks(-time.GetUtcNow().Ticks % TimeSpan.TicksPerSecond)), grant);
        Assert.Matches("^[A-Za-z0-9_.-]+$", token);

        var other = new DirectLineTokens("another-secret-of-good-length"u8, time);
        Assert.Equal(TokenValidation.Invalid, other.Validate(token, out _));
        Assert.Equal(TokenValidation.Invalid, tokens.Validate(token.Replace('.', '-'), out _));
        Assert.Equal(TokenValidation.Invalid, tokens.Validate("undefined", out _));
        Assert.Equal(TokenValidation.Invalid, tokens.Validate("", out _));
        var payload = token[..token.IndexOf('.', StringComparison.Ordinal)];
        var forged = payload[..^1] + (payload[^1] == 'A' ? 'Q' : 'A') + token[token.IndexOf('.', StringComparison.Ordinal)..];
        Assert.Equal(TokenValidation.Invalid, tokens.Validate(forged, out _));

        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(TokenValidation.Expired, tokens.Validate(token, out _));
    }

    [Fact]
    public async Task Client_credentials_tokens_are_cached_until_shortly_before_expiry()
    {
        await using var idp = await LocalIdentityProvider.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        using var provider = new ClientCredentialsTokenProvider(http, "app", "pw", time, idp.TokenEndpoint);
        Assert.Equal(LocalIdentityProvider.IssuedAccessToken, await provider.GetTokenAsync(CancellationToken.None));
        await provider.GetTokenAsync(CancellationToken.None);
        Assert.Single(idp.TokenRequests);
        time.Advance(TimeSpan.FromMinutes(56)); // the token lives 60 min and is renewed 5 min early
        await provider.GetTokenAsync(CancellationToken.None);
        Assert.Equal(2, idp.TokenRequests.Count);
    }
}
