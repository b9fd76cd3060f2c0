/** The login QR code, drawn in the terminal for the bot account's owner to scan with WeChat. */
export async function printLoginQr(value: string, out: NodeJS.WritableStream): Promise<void> {
  // Loaded only when a scan is needed.
  const { default: QRCode } = await import('qrcode');
  const drawing = await QRCode.toString(value, { type: 'terminal', small: true });
  out.write(`\n请用作为机器人的微信账号扫描下面的二维码登录：\n${drawing}\n`);
}
