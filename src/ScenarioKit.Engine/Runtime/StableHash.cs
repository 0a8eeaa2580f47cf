namespace ScenarioKit.Engine.Runtime;

/// <summary>FNV-1a: the same on every process and machine (unlike string.GetHashCode), so variation choice is reproducible.</summary>
internal static class StableHash
{
    public static uint Of(string text, int a, int b)
    {
        var h = 2166136261u;
        foreach (var c in text)
        {
            h = (h ^ (byte)c) * 16777619u;
            h = (h ^ (byte)(c >> 8)) * 16777619u;
        }
        h = Mix(h, a);
        return Mix(h, b);
    }

    static uint Mix(uint h, int value)
    {
        for (var i = 0; i < 4; i++)
        {
            h = (h ^ (byte)(value >> (8 * i))) * 16777619u;
        }
        return h;
    }
}
