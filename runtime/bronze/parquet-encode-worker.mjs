// Worker thread: encodes prepared column data to Parquet bytes (hyparquet-writer), off the main
// thread so consuming and validating the next records overlaps with encoding. Plain JS: workers do
// not inherit the tsx loader.
import { parentPort } from 'node:worker_threads';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';

parentPort.on('message', ({ id, options }) => {
  try {
    const writer = new ByteWriter();
    parquetWrite({ writer, ...options });
    const bytes = writer.getBytes();
    parentPort.postMessage({ id, buffer: bytes.buffer, offset: bytes.byteOffset, length: bytes.byteLength }, [bytes.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
