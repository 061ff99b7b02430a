// The part of `qrcode` the pages use, typed for the browser. @types/qrcode references Node's
// types (for its file and stream writers), which would let Node globals into the pages' type
// check; client/tsconfig.json maps the module here instead.
export interface QRCodeToStringOptions {
  type?: 'svg' | 'utf8' | 'terminal';
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  margin?: number;
  width?: number;
}
export function toString(text: string, options?: QRCodeToStringOptions): Promise<string>;
declare const QRCode: { toString: typeof toString };
export default QRCode;
