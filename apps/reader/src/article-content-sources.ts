import type { ContentSources } from '@gatehouse/core';
import { DEFAULT_MEDIA_PROXY_MODE, type MediaProxyMode } from './media/media-settings.js';

/**
 * Articles show other sites' images and video, as every feed reader does, and frames from
 * the two video hosts. Images: proxied ones are same-origin ('self', always allowed); the
 * others are https (http ones are proxied, or upgraded with the proxy off), so https: is
 * allowed unless the media proxy takes every image (`all`), when nothing broader than
 * 'self' is needed. Scripts stay same-origin. main.ts gives these to the CSP; the browser
 * tests use the same.
 */
export function articleContentSources(mediaProxy: MediaProxyMode): ContentSources {
  return {
    img: mediaProxy === 'all' ? [] : ['https:'],
    media: ['https:'],
    frame: ['https://www.youtube-nocookie.com', 'https://player.vimeo.com'],
  };
}

/** The sources under the default mode (READER_MEDIA_PROXY unset). */
export const ARTICLE_CONTENT_SOURCES: ContentSources = articleContentSources(DEFAULT_MEDIA_PROXY_MODE);
