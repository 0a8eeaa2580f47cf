using System.Runtime.InteropServices;

namespace ScenarioKit.Storage;

/// <summary>Bytes of a stored row (state, activity or turn-log JSON) as the array a driver parameter or the engine takes.</summary>
public static class StoredBytes
{
    /// <summary>
    /// The array itself when the memory spans a whole array (always so for rows this process built or read), else a copy.
    /// Callers only read it: nothing in the store or the engine writes into these bytes.
    /// </summary>
    public static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : memory.ToArray();
}
