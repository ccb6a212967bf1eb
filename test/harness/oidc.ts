/** An identity provider's settings for the UI load balancer's sign-in, as a stack would give them. */
export const OIDC = {
  issuer: "https://idp.example.com",
  authorizationEndpoint: "https://idp.example.com/oauth2/authorize",
  tokenEndpoint: "https://idp.example.com/oauth2/token",
  userInfoEndpoint: "https://idp.example.com/oauth2/userinfo",
  clientId: "jenkins-ui",
  clientSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:jenkins-oidc-AbCdEf",
};
