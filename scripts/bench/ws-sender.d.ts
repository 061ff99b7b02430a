// @types/ws leaves out ws's Sender, the one piece the reference needs: framing a message once
// for many sockets (websockets/ws#617, also what socket.io-adapter does for broadcasts).
import 'ws';

declare module 'ws' {
  export const Sender: {
    frame(
      data: Buffer,
      options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean },
    ): Buffer[];
  };
}
