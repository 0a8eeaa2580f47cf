namespace ScenarioKit.BotFramework.Authentication;

/// <summary>Supplies the bearer token for bot → channel calls (§3, "Bot → channel").</summary>
public interface IAccessTokenProvider
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}
